using System.Collections.Concurrent;
using System.Diagnostics;

namespace Usd1Reconciler.IntegrationTests.Fixtures;

/// <summary>
/// A long-running binary (Prometheus, Alertmanager) started directly — never through a shell or wrapper, so its PID is
/// the server's — with its output kept (last lines) for failure messages, and stopped by that PID.
/// </summary>
internal sealed class ServerProcess : IAsyncDisposable
{
    private const int KeptLines = 200;

    private readonly Process _process;
    private readonly ConcurrentQueue<string> _output = new();

    private ServerProcess(Process process, string name)
    {
        _process = process;
        Name = name;
    }

    public string Name { get; }

    public int Id => _process.Id;

    public bool HasExited => _process.HasExited;

    /// <summary>The last lines the server wrote to stdout/stderr, for assertion and exception messages.</summary>
    public string RecentOutput => string.Join('\n', _output);

    public static ServerProcess Start(string binary, IEnumerable<string> arguments, string? workingDirectory = null)
    {
        if (!File.Exists(binary))
        {
            throw new InvalidOperationException(
                $"{binary} is not installed; `apt-get install --no-install-recommends prometheus prometheus-alertmanager` (.ci/run does)");
        }

        var start = new ProcessStartInfo(binary)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? Path.GetTempPath(),
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException($"{binary} did not start");
        var server = new ServerProcess(process, Path.GetFileName(binary));
        process.OutputDataReceived += (_, e) => server.Keep(e.Data);
        process.ErrorDataReceived += (_, e) => server.Keep(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return server;
    }

    /// <summary>Polls <paramref name="readyUrl"/> until it answers 2xx; fails early, with the server's output, if it exits.</summary>
    public async Task WaitUntilReadyAsync(HttpClient http, Uri readyUrl, TimeSpan timeout)
    {
        var elapsed = Stopwatch.StartNew();
        while (true)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"{Name} exited with {_process.ExitCode} before it was ready:\n{RecentOutput}");
            }

            try
            {
                using var response = await http.GetAsync(readyUrl);
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }

            if (elapsed.Elapsed > timeout)
            {
                throw new TimeoutException($"{Name} not ready at {readyUrl} after {timeout}:\n{RecentOutput}");
            }

            await Task.Delay(TimeSpan.FromMilliseconds(50), TimeProvider.System);
        }
    }

    /// <summary>Kills the server by PID and waits for it to be gone (idempotent).</summary>
    public async Task StopAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        await _process.WaitForExitAsync();
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await StopAsync();
        }
        finally
        {
            _process.Dispose();
        }
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
