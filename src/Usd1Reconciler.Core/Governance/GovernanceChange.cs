namespace Usd1Reconciler.Core.Governance;

/// <summary>
/// One privileged action as the chain recorded it. Like a <see cref="Supply.SupplyEvent"/> its identity is
/// (network, <see cref="TransactionId"/>, <see cref="Position"/>, <see cref="SubPosition"/>), it is committed with the
/// cursor that covers it and removed by the rollback of the blocks that held it — so it is stored exactly once and
/// never outlives a reorg.
/// </summary>
/// <param name="Network">The network's configured name.</param>
/// <param name="Subject">What changed: a role, a minter, an account, an authority key, or a fixed word (owner, paused, implementation…); see <see cref="GovernanceChangeKind"/>.</param>
/// <param name="OldValue">The value before, when the event names it (otherwise the fold fills it in from the state).</param>
/// <param name="NewValue">The value after; null where the action clears it (a revoked role, an authority set to none).</param>
/// <param name="Actor">Who did it, when the chain says (the AccessControl sender, the pauser, the Solana authority that signed).</param>
/// <param name="BlockNumber">EVM block number or Solana slot.</param>
/// <param name="Position">EVM log index or Solana top-level instruction index.</param>
/// <param name="SubPosition">−1 for EVM logs and top-level instructions, the inner instruction's index otherwise.</param>
public sealed record GovernanceChange(
    string Network,
    GovernanceChangeKind Kind,
    string Subject,
    string? OldValue,
    string? NewValue,
    string? Actor,
    long BlockNumber,
    string BlockHash,
    string TransactionId,
    int Position,
    int SubPosition,
    DateTimeOffset? BlockTime)
{
    /// <summary>Whether the change is at or below the network's final block (set by the store when read back).</summary>
    public bool IsFinal { get; init; }

    /// <summary>One line for the change log: "kind subject: old → new".</summary>
    public string Describe() => $"{Kind} {Subject}: {OldValue ?? "-"} → {NewValue ?? "-"}";
}
