using System.Numerics;
using Usd1Reconciler.Core.Networks;

namespace Usd1Reconciler.Core.Supply;

/// <summary>
/// What the store knows of one network's supply. Sums are <see cref="BigInteger"/>: the sum of many uint256 amounts
/// can exceed 2^256.
/// </summary>
/// <param name="FinalBlock">Highest block/slot whose events are final (−1 before the first finalization).</param>
/// <param name="IndexedBlock">Highest block/slot indexed (final or not).</param>
/// <param name="LastIndexedAt">When the index last advanced or confirmed its tip.</param>
public sealed record NetworkSupply(
    long NetworkId,
    string Name,
    NetworkKind Kind,
    BigInteger FinalMinted,
    BigInteger FinalBurned,
    long FinalMints,
    long FinalBurns,
    BigInteger ProvisionalMinted,
    BigInteger ProvisionalBurned,
    long FinalBlock,
    long IndexedBlock,
    DateTimeOffset? LastIndexedAt,
    long Reorgs,
    LedgerProofReading? LatestProof)
{
    /// <summary>Since when the network's passes have been failing (no healthy endpoint, …); null while they succeed. Its data is stale meanwhile.</summary>
    public DateTimeOffset? FailingSince { get; init; }

    /// <summary>The latest failing pass's reason (secret-free: endpoints appear as scheme://host:port).</summary>
    public string? FailingReason { get; init; }

    /// <summary>
    /// The token's decimals and symbol as stored at the first successful read (never re-guessed); null while they
    /// were never read — then no figure in tokens or dollars exists for this network, only base units.
    /// </summary>
    public TokenIdentity? Token { get; init; }

    /// <summary>What a later read of the chain found different from <see cref="Token"/> (e.g. "decimals 6 -> 18"); null while they agree.</summary>
    public string? TokenIdentityMismatch { get; init; }

    /// <summary>Σ final mints − Σ final burns.</summary>
    public BigInteger IndexedSupply => FinalMinted - FinalBurned;

    /// <summary>The indexed supply including events not yet final.</summary>
    public BigInteger ProvisionalSupply => IndexedSupply + ProvisionalMinted - ProvisionalBurned;
}
