using System.Diagnostics;
using System.Net.Http.Json;

namespace Usd1Reconciler.Bench;

/// <summary>The pinned anvil binary on a free loopback port, optionally loading a state file; stopped by PID.</summary>
internal sealed class AnvilProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly string _cache;

    private AnvilProcess(Process process, string cache, Uri url)
    {
        _process = process;
        _cache = cache;
        Url = url;
    }

    public Uri Url { get; }

    /// <summary>CPU time anvil has used so far (null once it is gone).</summary>
    public TimeSpan? CpuUsed => ProcessCpu.Used(_process.Id);

    public int Pid => _process.Id;

    public TimeSpan StartTime { get; private set; }

    public static async Task<AnvilProcess> StartAsync(string? loadState, IReadOnlyList<string>? extra = null)
    {
        var cache = Directory.CreateTempSubdirectory("usd1rec-bench-anvil").FullName;
        var port = BenchEnvironment.FreePort();
        var start = new ProcessStartInfo(BenchEnvironment.Anvil) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        List<string> args = ["--host", "127.0.0.1", "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--gas-limit", "1000000000", "--cache-path", cache, "--silent"];
        if (loadState is not null)
        {
            args.AddRange(["--load-state", loadState]);
        }

        args.AddRange(extra ?? []);
        foreach (var a in args)
        {
            start.ArgumentList.Add(a);
        }

        var clock = Stopwatch.StartNew();
        var process = Process.Start(start) ?? throw new InvalidOperationException("anvil did not start");
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var anvil = new AnvilProcess(process, cache, new Uri($"http://127.0.0.1:{port}"));
        using var http = new HttpClient();
        while (true)
        {
            try
            {
                using var reply = await http.PostAsJsonAsync(anvil.Url, new { jsonrpc = "2.0", id = 1, method = "eth_chainId", @params = Array.Empty<object>() });
                if (reply.IsSuccessStatusCode)
                {
                    anvil.StartTime = clock.Elapsed;
                    return anvil;
                }
            }
            catch (HttpRequestException) when (!process.HasExited && clock.Elapsed < TimeSpan.FromMinutes(5))
            {
            }

            await Task.Delay(TimeSpan.FromMilliseconds(100), TimeProvider.System);
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
        Directory.Delete(_cache, recursive: true);
    }
}
