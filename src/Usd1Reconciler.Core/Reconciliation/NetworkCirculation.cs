using System.Numerics;
using Usd1Reconciler.Core.Amounts;
using Usd1Reconciler.Core.Networks;
using Usd1Reconciler.Core.Supply;

namespace Usd1Reconciler.Core.Reconciliation;

/// <summary>
/// One network's input to a reconciliation: the on-chain supply of its latest ledger proof, the excluded holders'
/// balances read at that same block/slot, and whatever kept either from being read.
/// </summary>
/// <param name="Block">Block (EVM) or slot (Solana) of the supply reading and the balances; −1 when there is none.</param>
/// <param name="Decimals">Token decimals; supply in base units / 10^Decimals = dollars.</param>
/// <param name="OnchainSupply">totalSupply / getTokenSupply at <paramref name="Block"/>, or null without a reading.</param>
/// <param name="Proof">Ledger proof at <paramref name="Block"/> judged against the network's freshness budget.</param>
/// <param name="BridgedFrom">The origin network when this one is a bridged representation (its lock box is excluded there).</param>
/// <param name="Problem">Why this network's figures cannot be trusted beyond the proof (e.g. a balance read at another slot); null when none.</param>
public sealed record NetworkCirculation(
    string Network,
    NetworkKind Kind,
    long Block,
    int Decimals,
    TokenAmount? OnchainSupply,
    LedgerProofStatus Proof,
    IReadOnlyList<HolderBalance> Excluded,
    string? BridgedFrom,
    string? Problem)
{
    /// <summary>On-chain supply minus excluded balances, in base units; null without a supply reading.</summary>
    public BigInteger? CirculatingUnits => OnchainSupply is { } supply
        ? supply.Value - Excluded.Aggregate(BigInteger.Zero, (sum, h) => sum + h.Balance.Value)
        : null;
}
