namespace Usd1Reconciler.Core.Governance;

/// <summary>What <see cref="GovernanceFold.Fold"/> gives: the state, and the changes in chain order as applied (old values filled in), which is the change log.</summary>
public sealed record GovernanceFoldResult(GovernanceState State, IReadOnlyList<GovernanceChange> Applied);
