namespace Usd1Reconciler.Evm.Indexing;

/// <summary>What the EVM indexer needs to know about one network (validated by the host before it gets here).</summary>
/// <param name="Token">Token contract address, 0x + 40 hex digits.</param>
/// <param name="StartBlock">First block to index: the token's deployment block, so that the ledger proof can hold.</param>
/// <param name="Confirmations">Blocks a block must be buried under to count as final; null lets the node's finalized tag decide.</param>
/// <param name="MaxBlockRange">Upper bound of one eth_getLogs range; ranges shrink on provider limits and grow back to this.</param>
/// <param name="MaxHeadLag">An endpoint whose head is more than this many blocks behind the best endpoint's is not trusted (a syncing node must not cause a false reorg).</param>
/// <param name="Resilience">Retry, backoff and circuit-breaker settings of the JSON-RPC client; null for the defaults.</param>
/// <param name="BlockTimeHorizon">
/// How far back a final event's block time is still used (the longest window that reads block times, such as the
/// redemption windows with their peak lookback): older final blocks read no header for their time. Null: every block
/// with logs gets its time.
/// </param>
/// <param name="DeclaredEvents">Operator-declared events from the token's ABI (issue 15), asked for and decoded with the standard governance events; null for none.</param>
/// <param name="GovernanceWatch">Roles, accounts and minters the policy names, read by the governance proof beside those known from events; null for none.</param>
public sealed record EvmNetworkSettings(
    string Name,
    long ChainId,
    IReadOnlyList<Uri> RpcUrls,
    string Token,
    long StartBlock,
    int? Confirmations,
    int MaxBlockRange,
    TimeSpan RequestTimeout,
    long MaxHeadLag = EvmNetworkSettings.DefaultMaxHeadLag,
    JsonRpc.RpcResilienceOptions? Resilience = null,
    TimeSpan? BlockTimeHorizon = null,
    Decoding.DeclaredEventDecoder? DeclaredEvents = null,
    EvmGovernanceWatch? GovernanceWatch = null)
{
    /// <summary>64 blocks: two epochs on Ethereum, well past any healthy node's propagation delay.</summary>
    public const long DefaultMaxHeadLag = 64;
}
