using Usd1Reconciler.Indexing;

namespace Usd1Reconciler.Cli;

/// <summary>
/// `index`'s progress, from the indexers' real cursors (<see cref="IndexProgressTracker"/>). On a terminal: one live
/// line per network ("network X: block N of M, E events, R blocks/s, ETA T"), redrawn in place, with log lines and
/// output written above it (<see cref="LiveRegion"/>). Not on a terminal (a file, a pipe, the journal): every
/// <see cref="CliConsole.ProgressInterval"/>, one plain line per network that is behind its head — nothing for a
/// network that is caught up, so a follow run's log does not fill with "block N of N".
/// Created before the verb's prologue, so that the prologue's loggers write through <see cref="Console"/>.
/// </summary>
internal sealed class IndexProgressDisplay : IAsyncDisposable
{
    /// <summary>How often the live lines are redrawn: fast enough to look live, slow enough to cost nothing.</summary>
    private static readonly TimeSpan TerminalRefresh = TimeSpan.FromMilliseconds(250);

    private readonly CliConsole _console;
    private readonly TimeProvider _time;
    private readonly LiveRegion? _region;
    private readonly CancellationTokenSource _stop = new();
    private Task _loop = Task.CompletedTask;

    private IndexProgressDisplay(CliConsole console, TimeProvider time)
    {
        _console = console;
        _time = time;
        if (console.ErrorIsTerminal)
        {
            _region = new LiveRegion(console.Error, TerminalWidth);
            var error = new LiveRegionWriter(_region, console.Error, onTerminal: true);
            Console = new CliConsole(new LiveRegionWriter(_region, console.Output, console.OutputSharesTerminal), error)
            {
                ErrorIsTerminal = true,
                OutputSharesTerminal = console.OutputSharesTerminal,
                ProgressInterval = console.ProgressInterval,
                Logs = error,
            };
        }
        else
        {
            Console = console;
        }
    }

    /// <summary>The console the verb writes through while the display runs.</summary>
    public CliConsole Console { get; }

    public static IndexProgressDisplay Create(CliConsole console, TimeProvider time) => new(console, time);

    /// <summary>Starts showing the networks' progress, in configured order.</summary>
    public void Start(IndexProgressTracker tracker, IReadOnlyList<string> networks)
    {
        _loop = _region is { } region
            ? RunAsync(TerminalRefresh, () => region.Update([.. networks.Select(n => tracker.Snapshot(n).Describe())]))
            : RunAsync(_console.ProgressInterval, () =>
            {
                foreach (var snapshot in networks.Select(tracker.Snapshot).Where(s => s.CatchingUp))
                {
                    lock (_console.Error)
                    {
                        _console.Error.WriteLine(snapshot.Describe());
                        _console.Error.Flush();
                    }
                }
            });
    }

    /// <summary>Stops the display and takes the live lines off the screen, so the verb's last lines stand alone.</summary>
    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _loop;
        _region?.Close();
        if (_region is not null)
        {
            await Console.Output.DisposeAsync();
            await Console.Error.DisposeAsync();
        }

        _stop.Dispose();
    }

    private async Task RunAsync(TimeSpan interval, Action show)
    {
        using var timer = new PeriodicTimer(interval, _time);
        try
        {
            while (await timer.WaitForNextTickAsync(_stop.Token))
            {
                show();
            }
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
            // Stopped with the verb.
        }
    }

    private static int TerminalWidth()
    {
        try
        {
            // 0 when the terminal does not say (some pseudo-terminals): assume a common width rather than cut every line.
            var width = System.Console.WindowWidth;
            return width > 0 ? width : 120;
        }
        catch (IOException)
        {
            return 120;
        }
    }
}
