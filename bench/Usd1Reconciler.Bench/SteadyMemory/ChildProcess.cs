using System.Diagnostics;

namespace Usd1Reconciler.Bench.SteadyMemory;

/// <summary>The daemon: started with extra environment variables, stderr echoed with a prefix and its tail kept for errors, stopped by PID.</summary>
internal sealed class ChildProcess : IAsyncDisposable
{

    private readonly Process _process;
    private readonly Queue<string> _tail = new();

    private ChildProcess(Process process)
    {
        _process = process;
    }

    public int Pid => _process.Id;

    public bool HasExited => _process.HasExited;

    public static ChildProcess Start(string file, IReadOnlyList<string> arguments, string workingDirectory, IReadOnlyDictionary<string, string> environment)
    {
        var start = new ProcessStartInfo(file) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = workingDirectory };
        foreach (var a in arguments)
        {
            start.ArgumentList.Add(a);
        }

        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        var child = new ChildProcess(Process.Start(start) ?? throw new InvalidOperationException($"{file} did not start"));
        child._process.OutputDataReceived += (_, _) => { };
        child._process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not { } line)
            {
                return;
            }

            lock (child._tail)
            {
                child._tail.Enqueue(line);
                if (child._tail.Count > 20)
                {
                    child._tail.Dequeue();
                }
            }

            Console.Error.WriteLine($"[usd1rec] {line}");
        };
        child._process.BeginOutputReadLine();
        child._process.BeginErrorReadLine();
        return child;
    }

    public void ThrowIfExited()
    {
        if (_process.HasExited)
        {
            lock (_tail)
            {
                throw new InvalidOperationException($"usd1rec run exited with {_process.ExitCode}:\n{string.Join('\n', _tail)}");
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }
}
