using System.Collections.Concurrent;
using System.Diagnostics;

namespace Usd1Reconciler.Devnet;

/// <summary>
/// A devnet process (anvil, the Solana devnet): started directly — never through a shell or npm's node wrapper, whose
/// death leaves the real binary running — with its last lines of output kept for failure messages, and stopped by
/// its own PID.
/// </summary>
public sealed class DevnetProcess : IDisposable
{
    private const int KeptLines = 50;

    private readonly Process _process;
    private readonly ConcurrentQueue<string> _output = new();
    private readonly TaskCompletionSource<string> _firstLine = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private DevnetProcess(Process process, string name)
    {
        _process = process;
        Name = name;
        Id = process.Id;
    }

    public string Name { get; }

    public int Id { get; }

    /// <summary>The first line the process wrote to stdout (the Solana devnet's ready line).</summary>
    public Task<string> FirstLine => _firstLine.Task;

    public string RecentOutput => string.Join('\n', _output);

    public bool HasExited => _process.HasExited;

    public static DevnetProcess Start(string name, string file, IEnumerable<string> arguments, string workingDirectory)
    {
        if (Path.IsPathRooted(file) && !File.Exists(file))
        {
            throw new InvalidOperationException($"{name}: {file} is not installed; run `npm ci` in tools/devnet (.ci/run does)");
        }

        var start = new ProcessStartInfo(file)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException($"{name} did not start ({file})");
        var started = new DevnetProcess(process, name);
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                started._firstLine.TrySetResult(e.Data);
                started.Keep(e.Data);
            }
        };
        process.ErrorDataReceived += (_, e) => started.Keep(e.Data);
        process.Exited += (_, _) => started._firstLine.TrySetException(new InvalidOperationException($"{name} exited before it was ready:\n{started.RecentOutput}"));
        process.EnableRaisingEvents = true;
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return started;
    }

    /// <summary>Kills the process (and any children) by PID and waits briefly for it to be gone; idempotent.</summary>
    public void Stop()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                _process.WaitForExit(5_000);
            }
        }
        catch (InvalidOperationException)
        {
            // Already reaped.
        }
    }

    /// <summary>Kills the process (and any children) by PID and waits until it is gone; idempotent.</summary>
    public async Task StopAsync()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
            }

            await _process.WaitForExitAsync();
        }
        catch (InvalidOperationException)
        {
            // Already reaped.
        }
    }

    public void Dispose()
    {
        Stop();
        _process.Dispose();
    }

    private void Keep(string? line)
    {
        if (line is null)
        {
            return;
        }

        _output.Enqueue(line);
        while (_output.Count > KeptLines && _output.TryDequeue(out _))
        {
        }
    }
}
