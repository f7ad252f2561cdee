using System.Diagnostics;
using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using Usd1Reconciler.JsonRpc;

namespace Usd1Reconciler.IntegrationTests.Fixtures;

/// <summary>
/// A real anvil on a free loopback port, started from the pinned npm binary with its cache in a private temp folder
/// and stopped by PID on dispose.
/// </summary>
internal sealed class AnvilNode : IAsyncDisposable
{
    private readonly Process _process;
    private readonly TempDirectory _cache;

    private AnvilNode(Process process, TempDirectory cache, Uri url, long chainId)
    {
        _process = process;
        _cache = cache;
        Url = url;
        ChainId = chainId;
        Http = new HttpClient();
        Rpc = new JsonRpcClient(Http, $"anvil-{chainId}", [url], TimeSpan.FromSeconds(30), NullLogger.Instance);
    }

    public Uri Url { get; }

    public long ChainId { get; }

    public JsonRpcClient Rpc { get; }

    private HttpClient Http { get; }

    public static async Task<AnvilNode> StartAsync(long chainId = 31337)
    {
        if (!File.Exists(RepoPaths.Anvil))
        {
            throw new InvalidOperationException($"anvil is not installed at {RepoPaths.Anvil}; run `npm ci` in tools/devnet (.ci/run does)");
        }

        var cache = new TempDirectory("anvil");
        var port = FreePort.Next();
        var start = new ProcessStartInfo(RepoPaths.Anvil)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[]
                 {
                     "--host", "127.0.0.1", "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture),
                     "--chain-id", chainId.ToString(System.Globalization.CultureInfo.InvariantCulture),
                     "--cache-path", cache.Path, "--gas-limit", "1000000000", "--silent",
                 })
        {
            start.ArgumentList.Add(arg);
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("anvil did not start");
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var node = new AnvilNode(process, cache, new Uri($"http://127.0.0.1:{port}"), chainId);
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                await node.Rpc.CallAsync("eth_chainId", [], CancellationToken.None);
                return node;
            }
            catch (RpcUnavailableException) when (deadline.Elapsed < TimeSpan.FromSeconds(20) && !process.HasExited)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(50), TimeProvider.System);
            }
        }
    }

    public Task<JsonElement> CallAsync(string method, params object?[] parameters) => Rpc.CallAsync(method, parameters, CancellationToken.None);

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                await _process.WaitForExitAsync();
            }
        }
        finally
        {
            _process.Dispose();
            Http.Dispose();
            _cache.Dispose();
        }
    }
}
