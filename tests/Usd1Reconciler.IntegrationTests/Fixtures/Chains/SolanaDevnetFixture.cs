using Microsoft.Extensions.Logging.Abstractions;
using Usd1Reconciler.Devnet;
using Usd1Reconciler.JsonRpc;

namespace Usd1Reconciler.IntegrationTests.Fixtures;

/// <summary>
/// The repository's Solana devnet for one test: Usd1Reconciler.Devnet's <see cref="SolanaDevnetProcess"/> plus the
/// daemon's own <see cref="JsonRpcClient"/> on it and the devnet_* controls tests drive.
/// <para>
/// Started with the slot timer off: slots advance only when a transaction lands (one per slot) or a test calls
/// <see cref="AdvanceSlotsAsync"/>, so "finalized" moves exactly when a test says so.
/// </para>
/// </summary>
internal sealed class SolanaDevnetFixture : IAsyncDisposable
{
    private readonly SolanaDevnetProcess _devnet;
    private readonly HttpClient _http = new();

    private SolanaDevnetFixture(SolanaDevnetProcess devnet)
    {
        _devnet = devnet;
        Rpc = new JsonRpcClient(_http, "solana-devnet", [devnet.Url], TimeSpan.FromSeconds(60), NullLogger.Instance);
    }

    public Uri Url => _devnet.Url;

    public JsonRpcClient Rpc { get; }

    /// <param name="finalityLag">Slots between the newest slot and the finalized one (a cluster's is ~32).</param>
    public static async Task<SolanaDevnetFixture> StartAsync(int finalityLag = 32) =>
        new(await SolanaDevnetProcess.StartAsync(RepoPaths.Devnet, finalityLag, slotInterval: TimeSpan.Zero, CancellationToken.None));

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
            await _devnet.DisposeAsync();
        }
        finally
        {
            _http.Dispose();
        }
    }
}
