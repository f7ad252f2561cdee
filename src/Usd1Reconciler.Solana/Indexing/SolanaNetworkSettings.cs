using Usd1Reconciler.Solana.Rpc;

namespace Usd1Reconciler.Solana.Indexing;

/// <summary>What the Solana indexer needs to know about one network (the host validates it; <see cref="SolanaIndexer.Create"/> checks again).</summary>
/// <param name="Mint">The SPL mint address (base58), Token or Token-2022.</param>
/// <param name="Commitment">Commitment events are indexed at: confirmed (default) or finalized; processed is refused.</param>
/// <param name="RpcUrls">Endpoints in order of preference; calls fail over down the list.</param>
/// <param name="PageSize">getSignaturesForAddress limit, 1-1000 (1000 is the node maximum and the sensible default).</param>
public sealed record SolanaNetworkSettings(
    string Name,
    string Mint,
    SolanaCommitment Commitment,
    IReadOnlyList<Uri> RpcUrls,
    TimeSpan RequestTimeout,
    int PageSize = SolanaRpcClient.MaxSignaturesPerPage)
{
    /// <summary>
    /// How many slots below the stored tip a pass looks again for signatures it may not have seen (a fork switch can
    /// put new transactions below the tip, and a vanished tip signature would otherwise make the node page through all
    /// history). Default 150 slots, about a minute, far above the ~32 slots a fork can stay unfinalized.
    /// </summary>
    public int ForkMarginSlots { get; init; } = 150;

    /// <summary>Transactions fetched per getTransaction JSON-RPC batch, and signatures committed per store transaction. Default 100.</summary>
    public int TransactionBatchSize { get; init; } = 100;

    /// <summary>
    /// Pages of listed signatures a pass keeps in memory; older pages wait in a temporary file until they are indexed
    /// (see <see cref="SignatureSpool"/>). Default 10 pages: a live pass never spills, a backfill of years holds ~10,000
    /// signatures in memory instead of all of them.
    /// </summary>
    public int SignaturePagesInMemory { get; init; } = 10;

    /// <summary>Where a pass's spilled signature pages go; null for the system's temporary directory. The daemon sets the store's directory (see <see cref="SignatureSpool"/>).</summary>
    public string? SpoolDirectory { get; init; }

    /// <summary>
    /// An endpoint whose confirmed slot is more than this many slots behind the best endpoint's is not trusted. Default
    /// 150 slots (about a minute): a healthy node is a few slots behind at most.
    /// </summary>
    public long MaxSlotLag { get; init; } = DefaultMaxSlotLag;

    public const long DefaultMaxSlotLag = 150;

    /// <summary>Retry, backoff and circuit-breaker settings of the JSON-RPC client; null for the defaults.</summary>
    public JsonRpc.RpcResilienceOptions? Resilience { get; init; }

    /// <summary>When set, every endpoint must report this genesis hash (mainnet-beta is 5eykt4UsFv8P8NJdTREpY1vzqKqZKvdpKuc147dw2N9d).</summary>
    public string? GenesisHash { get; init; }
}
