using System.Globalization;
using System.Text.Json;

namespace Usd1Reconciler.Devnet;

/// <summary>
/// The repository's Solana devnet (tools/devnet/solana/server.mjs: LiteSVM behind agave-shaped JSON-RPC) on a free
/// loopback port, read from its ready line, and killed by PID with its process tree on dispose. The one Solana devnet
/// launcher of the repository.
/// </summary>
public sealed class SolanaDevnetProcess : IAsyncDisposable, IDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(30);

    private readonly HttpClient _http;

    private SolanaDevnetProcess(DevnetProcess process, Uri url, HttpClient http)
    {
        Process = process;
        Url = url;
        _http = http;
        Rpc = new DevnetRpc(http, url);
    }

    public DevnetProcess Process { get; }

    public Uri Url { get; }

    /// <summary>JSON-RPC to the devnet, including its devnet_* controls (advance slots, drop unfinalized).</summary>
    public DevnetRpc Rpc { get; }

    /// <param name="finalityLag">Slots between the newest and the finalized slot (a cluster's is about 32).</param>
    /// <param name="slotInterval">
    /// A timer closes a slot this often, so the finalized slot keeps moving with no traffic; zero turns the timer off
    /// (slots then close only when a transaction lands or devnet_advanceSlots is called, as tests want).
    /// </param>
    public static async Task<SolanaDevnetProcess> StartAsync(DevnetToolchain tools, int finalityLag, TimeSpan slotInterval, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(tools);
        tools.RequireInstalled(anvil: false, solana: true);
        var process = DevnetProcess.Start(
            "solana devnet",
            "node",
            [
                tools.SolanaServer, "--port", "0", "--finality-lag", finalityLag.ToString(CultureInfo.InvariantCulture),
                "--slot-interval-ms", ((long)slotInterval.TotalMilliseconds).ToString(CultureInfo.InvariantCulture),
            ],
            tools.DevnetTools);
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(StartTimeout);
            var line = await process.FirstLine.WaitAsync(timeout.Token);
            using var ready = JsonDocument.Parse(line);
            if (!ready.RootElement.TryGetProperty("ready", out var ok) || ok.ValueKind != JsonValueKind.True)
            {
                throw new InvalidOperationException($"unexpected first line from the Solana devnet: {line}");
            }

            var url = new Uri(ready.RootElement.GetProperty("rpcUrl").GetString()!);
            return new SolanaDevnetProcess(process, url, new HttpClient { Timeout = TimeSpan.FromSeconds(60) });
        }
        catch
        {
            process.Dispose();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await Process.StopAsync();
        Process.Dispose();
        _http.Dispose();
    }

    public void Dispose()
    {
        Process.Dispose();
        _http.Dispose();
    }
}
