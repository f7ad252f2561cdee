namespace Usd1Reconciler.Core.Governance;

/// <summary>
/// What a reconciliation report records about one network's control plane (issue 15, report format 4): the governance
/// proof status as of the report, the final block it was made at and the hash of the state it compared — so a report
/// says which governance it stood on, and a later state can be checked against it.
/// </summary>
/// <param name="Block">The block/slot of the proof, null when there is none.</param>
/// <param name="StateHash"><see cref="GovernanceState.ComputeHash"/> of the proven state, null when there is no proof.</param>
public sealed record GovernanceSeen(string Network, GovernanceProofStatus Proof, long? Block, string? StateHash);
