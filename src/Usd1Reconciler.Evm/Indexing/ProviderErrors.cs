namespace Usd1Reconciler.Evm.Indexing;

/// <summary>What a JSON-RPC error answered to an eth_getLogs range says, and so what the indexer does about it.</summary>
internal enum ProviderErrorKind
{
    /// <summary>Not recognised: the error propagates and fails the pass (retried at the next firing).</summary>
    Other,

    /// <summary>Too many logs in the reply (a result-count cap): a smaller range holds fewer. Halve.</summary>
    ResultCountCap,

    /// <summary>Too many blocks in the request (a block-range cap): halve.</summary>
    BlockRangeCap,

    /// <summary>The reply would be too many bytes (a response-size cap): halve.</summary>
    ResponseSizeCap,

    /// <summary>The node gave up building the reply in time: a smaller range is less work. Halve.</summary>
    QueryTimeout,

    /// <summary>EIP-1474's generic -32005 "limit exceeded" with no more detail: treated as a cap of the request. Halve.</summary>
    RequestLimit,

    /// <summary>The provider refuses because of the request rate, not the range: a smaller range only adds requests. No halving.</summary>
    RateLimited,

    /// <summary>
    /// The node's head is below a block the range names: the chain moved (a reorg to a shorter chain, a node that fell
    /// behind). Halving would not help and calling it a provider limit would hide a reorg: the pass starts over and the
    /// tip check re-syncs.
    /// </summary>
    ChainMoved,
}

/// <summary>
/// One documented or observed provider wording: an error whose message contains <see cref="Text"/> (ordinal, case
/// ignored) and whose code is <see cref="Code"/> when that is given.
/// </summary>
internal sealed record ProviderErrorPattern(string Source, long? Code, string Text, ProviderErrorKind Kind);

/// <summary>
/// The one table that tells eth_getLogs errors apart by code and by the wording of the clients and providers that
/// send them. It used to be a list of loose words ("range", "limit", "exceed"), so anvil's
/// <c>BlockOutOfRangeError</c> — the head moved back during a reorg — was logged as a provider limit and halved the
/// range. Order matters: the first entry that matches wins, so wordings that mean "chain moved" or "rate limited" come
/// before any cap whose words they share. Every entry has a unit test with the full real message
/// (ProviderErrorsTests), and a message no entry knows is <see cref="ProviderErrorKind.Other"/>: it fails the pass
/// visibly instead of being retried as something it is not.
/// </summary>
internal static class ProviderErrors
{
    /// <summary>JSON-RPC codes the table refers to.</summary>
    private const long InvalidParams = -32602;
    private const long LimitExceeded = -32005; // EIP-1474

    public static IReadOnlyList<ProviderErrorPattern> Table { get; } =
    [
        // The chain moved: a block of the range is above the node's head.
        new("anvil (foundry BlockchainError::BlockOutOfRange)", null, "BlockOutOfRangeError: block height is", ProviderErrorKind.ChainMoved),
        new("geth / execution-apis filter-error-future-block-range; reth adds \": requested N, head M\"", InvalidParams, "block range extends beyond current head block", ProviderErrorKind.ChainMoved),

        // Rate limits that share -32005 (and the word "exceeded") with range caps.
        new("Infura", LimitExceeded, "request rate exceeded", ProviderErrorKind.RateLimited),
        new("Infura", LimitExceeded, "daily request count exceeded", ProviderErrorKind.RateLimited),
        new("various (-32005 \"rate limit exceeded\")", LimitExceeded, "rate limit", ProviderErrorKind.RateLimited),
        new("Alchemy (code 429 inside the JSON-RPC error)", null, "exceeded its compute units per second capacity", ProviderErrorKind.RateLimited),

        // Result-count caps.
        new("geth-style (Infura, Polygon, zkEVM)", null, "query returned more than", ProviderErrorKind.ResultCountCap),
        new("reth (EthFilterError::QueryExceedsMaxResults), dRPC, BlastAPI, LlamaRPC", null, "query exceeds max results", ProviderErrorKind.ResultCountCap),
        new("Arbitrum Nitro", null, "logs matched by query exceeds limit of", ProviderErrorKind.ResultCountCap),

        // Response-size caps (Alchemy's message also offers a block range; the cap it hit is the response size).
        new("Alchemy", null, "Log response size exceeded", ProviderErrorKind.ResponseSizeCap),
        new("Optimism / Base public RPC (-32020)", null, "backend response too large", ProviderErrorKind.ResponseSizeCap),
        new("1RPC", null, "response size should not greater than", ProviderErrorKind.ResponseSizeCap),

        // Block-range caps.
        new("reth (EthFilterError::QueryExceedsMaxBlocks), Hyperliquid", null, "query exceeds max block range", ProviderErrorKind.BlockRangeCap),
        new("PublicNode, BSC nodes (\"exceed maximum block range: 2000\")", null, "exceed maximum block range", ProviderErrorKind.BlockRangeCap),
        new("QuickNode, 1RPC, Blast (\"eth_getLogs is limited to a 10,000 range\")", null, "eth_getLogs is limited to a", ProviderErrorKind.BlockRangeCap),
        new("Alchemy free tier (\"… you can make eth_getLogs requests with up to a 10 block range\")", null, "requests with up to a", ProviderErrorKind.BlockRangeCap),
        new("Ankr (-32600), Frontier / Moonbeam (\"block range is too wide (maximum 1024)\")", null, "block range is too wide", ProviderErrorKind.BlockRangeCap),
        new("Optimism, Base, others (\"Block range is too large\", \"block range too large\")", null, "block range is too large", ProviderErrorKind.BlockRangeCap),
        new("Base", null, "block range too large", ProviderErrorKind.BlockRangeCap),
        new("Chainstack", null, "Block range limit exceeded", ProviderErrorKind.BlockRangeCap),
        new("Avalanche C-Chain", null, "requested too many blocks from", ProviderErrorKind.BlockRangeCap),
        new("Coinbase (Base node)", null, "please limit the query to at most", ProviderErrorKind.BlockRangeCap),
        new("thirdweb", null, "Maximum allowed number of requested blocks is", ProviderErrorKind.BlockRangeCap),
        new("Cloudflare Ethereum gateway (\"… Max range: 800\")", null, "Max range:", ProviderErrorKind.BlockRangeCap),
        new("Arc / various (-32012 \"requested range too large\")", null, "requested range too large", ProviderErrorKind.BlockRangeCap),

        // Timeouts building the reply.
        new("Alchemy", null, "Query timeout exceeded", ProviderErrorKind.QueryTimeout),
        new("Arbitrum, others", null, "log query timed out", ProviderErrorKind.QueryTimeout),

        // The generic EIP-1474 code with nothing more specific above: a cap of this request.
        new("EIP-1474 -32005 \"Limit exceeded\" (any provider)", LimitExceeded, "", ProviderErrorKind.RequestLimit),
    ];

    /// <summary>The first table entry matching this error, or null.</summary>
    public static ProviderErrorPattern? Match(long code, string message)
    {
        ArgumentNullException.ThrowIfNull(message);
        foreach (var pattern in Table)
        {
            if ((pattern.Code is null || pattern.Code == code) && message.Contains(pattern.Text, StringComparison.OrdinalIgnoreCase))
            {
                return pattern;
            }
        }

        return null;
    }

    public static ProviderErrorKind Classify(long code, string message) => Match(code, message)?.Kind ?? ProviderErrorKind.Other;

    /// <summary>Whether the error says the range asked too much of the provider, so a smaller one may succeed.</summary>
    public static bool SaysRangeTooLarge(long code, string message) => Classify(code, message) is
        ProviderErrorKind.ResultCountCap or ProviderErrorKind.BlockRangeCap or ProviderErrorKind.ResponseSizeCap
        or ProviderErrorKind.QueryTimeout or ProviderErrorKind.RequestLimit;

    /// <summary>Whether the error says the chain moved under the range (see <see cref="ProviderErrorKind.ChainMoved"/>).</summary>
    /// <summary>
    /// An eth_call that reverted: JSON-RPC code 3 (geth, anvil, reth) or an "execution reverted" message (-32000 on
    /// older nodes and several providers). For the governance proof: the token has no such function.
    /// </summary>
    public static bool SaysReverted(long code, string message) =>
        code == 3 || message.Contains("revert", StringComparison.OrdinalIgnoreCase);

    public static bool SaysChainMoved(long code, string message) => Classify(code, message) == ProviderErrorKind.ChainMoved;
}
