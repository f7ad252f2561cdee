using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using Usd1Reconciler.JsonRpc;

namespace Usd1Reconciler.IntegrationTests.Fixtures;

/// <summary>
/// The repository's Solana devnet (tools/devnet/solana/server.mjs, LiteSVM behind agave-shaped JSON-RPC) on a free
/// port, read from its ready line, and killed by PID with its whole process tree on dispose.
/// <para>
/// Started with the slot timer off: slots advance only when a transaction lands (one per slot) or a test calls
/// <see cref="AdvanceSlotsAsync"/>, so "finalized" moves exactly when a test says so.
/// </para>
/// </summary>
internal sealed class SolanaDevnetFixture : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(30);

    private readonly Process _process;
    private readonly HttpClient _http = new();

    private SolanaDevnetFixture(Process process, Uri url)
    {
        _process = process;
        Url = url;
        Rpc = new JsonRpcClient(_http, "solana-devnet", [url], TimeSpan.FromSeconds(60), NullLogger.Instance);
    }

    public Uri Url { get; }

    public JsonRpcClient Rpc { get; }

    public static string ServerScript => Path.Combine(RepoPaths.DevnetTools, "solana", "server.mjs");

    /// <param name="finalityLag">Slots between the newest slot and the finalized one (a cluster's is ~32).</param>
    public static async Task<SolanaDevnetFixture> StartAsync(int finalityLag = 32)
    {
        if (!Directory.Exists(Path.Combine(RepoPaths.NodeModules, "litesvm")))
        {
            throw new InvalidOperationException($"litesvm is not installed under {RepoPaths.NodeModules}; run `npm ci` in tools/devnet");
        }

        var start = new ProcessStartInfo("node")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = RepoPaths.DevnetTools,
        };
        foreach (var arg in new[]
                 {
                     ServerScript, "--port", "0", "--slot-interval-ms", "0",
                     "--finality-lag", finalityLag.ToString(CultureInfo.InvariantCulture),
                 })
        {
            start.ArgumentList.Add(arg);
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("node did not start the Solana devnet");
        var stderr = new System.Text.StringBuilder();
        process.ErrorDataReceived += (_, e) =>
        {
            lock (stderr)
            {
                stderr.AppendLine(e.Data);
            }
        };
        process.BeginErrorReadLine();
        try
        {
            using var timeout = new CancellationTokenSource(StartTimeout);
            var line = await process.StandardOutput.ReadLineAsync(timeout.Token)
                ?? throw new InvalidOperationException($"the Solana devnet exited before its ready line: {stderr}");
            using var ready = JsonDocument.Parse(line);
            if (!ready.RootElement.TryGetProperty("ready", out var ok) || ok.ValueKind != JsonValueKind.True)
            {
                throw new InvalidOperationException($"unexpected first line from the Solana devnet: {line}");
            }

            return new SolanaDevnetFixture(process, new Uri(ready.RootElement.GetProperty("rpcUrl").GetString()!));
        }
        catch
        {
            process.Kill(entireProcessTree: true);
            process.Dispose();
            throw;
        }
    }

    /// <summary>Closes <paramref name="slots"/> empty slots; with the default lag, 33 makes everything sent so far finalized.</summary>
    public Task AdvanceSlotsAsync(int slots) => Rpc.CallAsync("devnet_advanceSlots", [slots], CancellationToken.None);

    /// <summary>Abandons every slot above the finalized one, as a fork switch would; returns how many transactions vanished.</summary>
    public async Task<int> DropUnfinalizedAsync()
    {
        var result = await Rpc.CallAsync("devnet_dropUnfinalized", [], CancellationToken.None);
        return result.GetProperty("droppedTransactions").GetInt32();
    }

    public async Task<(long Confirmed, long Finalized)> SlotsAsync()
    {
        var status = await Rpc.CallAsync("devnet_status", [], CancellationToken.None);
        return (status.GetProperty("confirmedSlot").GetInt64(), status.GetProperty("finalizedSlot").GetInt64());
    }

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
            _http.Dispose();
        }
    }
}
