using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Usd1Reconciler.Devnet;

/// <summary>
/// One anvil from the pinned npm binary on a loopback port, with its cache in its own folder, ready once it answers
/// eth_chainId, and stopped by PID on dispose. The one anvil launcher of the repository: the demo, the integration
/// tests and the benchmarks all start theirs here.
/// </summary>
public sealed class AnvilProcess : IAsyncDisposable, IDisposable
{
    private readonly HttpClient _http;
    private readonly string? _ownedCache;

    private AnvilProcess(DevnetProcess process, Uri url, long chainId, HttpClient http, string? ownedCache)
    {
        Process = process;
        Url = url;
        ChainId = chainId;
        _http = http;
        _ownedCache = ownedCache;
        Rpc = new DevnetRpc(http, url);
    }

    public DevnetProcess Process { get; }

    public int Pid => Process.Id;

    public Uri Url { get; }

    public long ChainId { get; }

    public DevnetRpc Rpc { get; }

    /// <summary>From starting the binary to its first eth_chainId answer.</summary>
    public TimeSpan StartTime { get; private set; }

    public static async Task<AnvilProcess> StartAsync(DevnetToolchain tools, AnvilOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(tools);
        ArgumentNullException.ThrowIfNull(options);
        tools.RequireInstalled(anvil: true, solana: false);
        var ownedCache = options.CachePath is null ? Directory.CreateTempSubdirectory("usd1rec-anvil").FullName : null;
        var cache = options.CachePath ?? ownedCache!;
        Directory.CreateDirectory(cache);
        var port = options.Port == 0 ? FreePort() : options.Port;
        var arguments = new List<string> { "--host", "127.0.0.1", "--port", port.ToString(CultureInfo.InvariantCulture), "--cache-path", cache, "--silent" };
        if (options.ChainId is { } chainId)
        {
            arguments.AddRange(["--chain-id", chainId.ToString(CultureInfo.InvariantCulture)]);
        }

        if (options.GasLimit is { } gasLimit)
        {
            arguments.AddRange(["--gas-limit", gasLimit.ToString(CultureInfo.InvariantCulture)]);
        }

        if (options.LoadState is { } state)
        {
            arguments.AddRange(["--load-state", state]);
        }

        arguments.AddRange(options.ExtraArguments);
        var started = Stopwatch.StartNew();
        var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        DevnetProcess? process = null;
        try
        {
            process = DevnetProcess.Start(options.Name, tools.Anvil, arguments, tools.Root);
            var anvil = new AnvilProcess(process, new Uri($"http://127.0.0.1:{port}"), options.ChainId ?? 31337, http, ownedCache);
            await anvil.WaitUntilReadyAsync(options, started, cancellationToken);
            anvil.StartTime = started.Elapsed;
            return anvil;
        }
        catch
        {
            process?.Dispose();
            http.Dispose();
            TryDelete(ownedCache);
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await Process.StopAsync();
        Release();
    }

    public void Dispose()
    {
        Process.Stop();
        Release();
    }

    private async Task WaitUntilReadyAsync(AnvilOptions options, Stopwatch started, CancellationToken cancellationToken)
    {
        while (true)
        {
            try
            {
                await Rpc.CallAsync("eth_chainId", [], cancellationToken);
                return;
            }
            catch (HttpRequestException ex) when (Process.HasExited || started.Elapsed > options.ReadyTimeout)
            {
                throw new InvalidOperationException(
                    $"{options.Name} did not answer on {Url} within {options.ReadyTimeout}{(Process.HasExited ? " (it exited)" : string.Empty)}:\n{Process.RecentOutput}", ex);
            }
            catch (HttpRequestException)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(50), TimeProvider.System, cancellationToken);
            }
        }
    }

    private void Release()
    {
        Process.Dispose();
        _http.Dispose();
        TryDelete(_ownedCache);
    }

    private static void TryDelete(string? directory)
    {
        try
        {
            if (directory is not null && Directory.Exists(directory))
            {
                Directory.Delete(directory, recursive: true);
            }
        }
        catch (IOException)
        {
            // A temp cache left behind is harmless; the next run uses a new one.
        }
    }

    private static int FreePort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        var port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        return port;
    }
}
