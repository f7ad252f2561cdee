namespace Usd1Reconciler.Core.Governance;

/// <summary>One governance proof: the block it compared at, the outcome, the differences and the hash of the folded state it compared.</summary>
/// <param name="Network">The network's configured name.</param>
/// <param name="StateHash"><see cref="GovernanceState.ComputeHash"/> of the state folded through <paramref name="BlockNumber"/>.</param>
/// <param name="Reason">Why the proof is stale (what could not be read), or null.</param>
public sealed record GovernanceProofReading(
    string Network,
    long BlockNumber,
    GovernanceProofStatus Status,
    IReadOnlyList<GovernanceProofDifference> Differences,
    string StateHash,
    DateTimeOffset CheckedAt,
    string? Reason = null);
