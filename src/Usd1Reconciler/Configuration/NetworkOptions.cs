using System.ComponentModel.DataAnnotations;
using Usd1Reconciler.Core.Networks;

namespace Usd1Reconciler.Configuration;

/// <summary>One network to follow. Which keys apply depends on <see cref="Kind"/>.</summary>
public sealed class NetworkOptions
{
    /// <summary>Required, unique. Letters, digits, '-' and '_' (it becomes a metric label and the key in the store).</summary>
    [Required]
    [RegularExpression("^[A-Za-z0-9_-]{1,64}$", ErrorMessage = "must be 1-64 letters, digits, '-' or '_'")]
    public string Name { get; set; } = string.Empty;

    /// <summary>Required: <c>Evm</c> or <c>Solana</c>.</summary>
    [Required(ErrorMessage = "required: Evm or Solana")]
    public NetworkKind? Kind { get; set; }

    /// <summary>Required, at least one http(s) URL. Tried in order; later ones take over when earlier ones fail.</summary>
    [MinLength(1, ErrorMessage = "at least one RPC URL is required")]
    [HttpUrl]
    public List<string> RpcUrls { get; set; } = [];

    /// <summary>EVM, required: the chain id every endpoint must report before anything is indexed.</summary>
    [Range(1, long.MaxValue)]
    public long? ChainId { get; set; }

    /// <summary>EVM, required: token contract address (0x + 40 hex digits).</summary>
    [EvmAddress]
    public string? Token { get; set; }

    /// <summary>EVM: <value>Default 0.</value> First block to index — the token's deployment block, so the ledger proof covers every mint.</summary>
    [Range(0, long.MaxValue)]
    public long StartBlock { get; set; }

    /// <summary>EVM: blocks a block must be buried under to be final. <value>Default: none — the node's <c>finalized</c> tag decides.</value></summary>
    [Range(0, int.MaxValue)]
    public int? Confirmations { get; set; }

    /// <summary>EVM: <value>Default 2000.</value> Largest eth_getLogs range; smaller ranges are used when a provider limits them.</summary>
    [Range(1, 1_000_000)]
    public int MaxBlockRange { get; set; } = 2000;

    /// <summary>Solana, required: the token's mint address (base58).</summary>
    [Base58Address]
    public string? Mint { get; set; }

    /// <summary>Solana: <value>Default <c>confirmed</c>.</value> Commitment at which events are first indexed (<c>confirmed</c> or <c>finalized</c>).</summary>
    [RegularExpression("^(confirmed|finalized)$", ErrorMessage = "must be confirmed or finalized; processed can still be rolled back by any fork")]
    public string Commitment { get; set; } = "confirmed";

    /// <summary>
    /// <value>Default: 64 blocks (Evm), 150 slots (Solana).</value> An endpoint whose head is further behind the best
    /// endpoint's is not trusted until it catches up (a syncing node must never cause a false reorg).
    /// </summary>
    [Range(0, long.MaxValue)]
    public long? MaxHeadLag { get; set; }

    /// <summary>
    /// <value>Default: none.</value> Requests per second each RPC endpoint may be sent, every element of a JSON-RPC batch
    /// counting as one: set it to the provider plan's cap, and the indexer keeps its ranges in flight within it instead
    /// of being answered 429.
    /// </summary>
    [Range(1, 100_000, ErrorMessage = "must be between 1 and 100000, or left out for no budget")]
    public int? MaxRequestsPerSecond { get; set; }

    /// <summary>
    /// <value>Default 30 s.</value> How long an RPC endpoint that failed three times in a row is kept out before one
    /// trial call: shorter notices a recovered endpoint sooner, longer spares a provider that is down.
    /// </summary>
    [PositiveDuration]
    public TimeSpan CircuitBreak { get; set; } = JsonRpc.RpcResilienceOptions.Default.BreakDuration;

    /// <summary><value>Default 30 s.</value> Time one RPC request may take.</summary>
    [PositiveDuration]
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary><value>Default 2 s.</value> Pause between passes when following the head.</summary>
    [PositiveDuration]
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary><value>Default 10 min.</value> Age beyond which this network's ledger proof is reported stale.</summary>
    [PositiveDuration]
    public TimeSpan StaleAfter { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>Anomaly limits and paging details of this network. <value>Default: no limits.</value></summary>
    public AnomalyOptions? Anomalies { get; set; }

    /// <summary>The control-plane policy and declared events of this network (issue 15). <value>Default: events recorded, nothing checked.</value></summary>
    public GovernanceOptions? Governance { get; set; }

    /// <summary><value>Default: none.</value> Holders whose balances are not circulating (treasury, unissued, bridge lock boxes), read at the ledger proof's block/slot.</summary>
    public List<ExcludedHolderOptions> ExcludedHolders { get; set; } = [];

    /// <summary>
    /// <value>Default: none.</value> Marks this network as a bridged representation of the named network. Its supply
    /// is counted as circulating; the origin's lock box must be among the origin's ExcludedHolders, so each token is counted once.
    /// </summary>
    public string? BridgedFrom { get; set; }
}
