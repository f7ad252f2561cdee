namespace Usd1Reconciler.Devnet;

/// <summary>
/// Every devnet process a run started, stopped together on dispose — and, as a fallback, when the runtime shuts down
/// (ProcessExit): the command line's signal handling gives an action only a short grace period after Ctrl-C or
/// SIGTERM, and an anvil outliving its starter would keep its port and its cache folder.
/// </summary>
public sealed class DevnetProcessGroup : IDisposable
{
    private readonly List<DevnetProcess> _processes = [];
    private readonly EventHandler _onExit;

    public DevnetProcessGroup()
    {
        _onExit = (_, _) => StopAll();
        AppDomain.CurrentDomain.ProcessExit += _onExit;
    }

    public DevnetProcess Add(DevnetProcess process)
    {
        lock (_processes)
        {
            _processes.Add(process);
        }

        return process;
    }

    /// <summary>"anvil (anvil-1) pid 123, …": what was started, for the closing line.</summary>
    public string Describe()
    {
        lock (_processes)
        {
            return _processes.Count == 0 ? "none" : string.Join(", ", _processes.Select(p => $"{p.Name} pid {p.Id}"));
        }
    }

    public void StopAll()
    {
        List<DevnetProcess> processes;
        lock (_processes)
        {
            processes = [.. _processes];
        }

        // Newest first: the devnets go after whatever was started on top of them.
        for (var i = processes.Count - 1; i >= 0; i--)
        {
            processes[i].Stop();
        }
    }

    public void Dispose()
    {
        AppDomain.CurrentDomain.ProcessExit -= _onExit;
        lock (_processes)
        {
            for (var i = _processes.Count - 1; i >= 0; i--)
            {
                _processes[i].Dispose();
            }

            _processes.Clear();
        }
    }
}
