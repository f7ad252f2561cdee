using Usd1Reconciler.Core.Governance;

namespace Usd1Reconciler.Web;

/// <summary>
/// One network's control plane as the status page shows it, read from the store at request time: the state folded from
/// the stored changes (final and unfinal, as the screener folds it), the drift of that state from the configured policy,
/// the latest stored governance proof and its status now (stale when older than the network's budget or behind its
/// final block).
/// </summary>
/// <param name="Policy">The configured policy; null when the network has no Networks:N:Governance section.</param>
/// <param name="Proof">The latest stored proof; null before the first (the page says "not proven yet").</param>
/// <param name="Status">The proof's status now (<see cref="GovernanceProof.Evaluate"/>).</param>
/// <param name="Decimals">The network's stored token decimals (allowances in tokens), null while never read.</param>
/// <param name="Applied">The changes in chain order with old values filled in: the change log.</param>
internal sealed record GovernanceSectionNetwork(
    StatusPageNetwork Network,
    GovernancePolicy? Policy,
    GovernanceState State,
    IReadOnlyList<GovernanceDriftItem> Drift,
    GovernanceProofReading? Proof,
    GovernanceProofStatus Status,
    int? Decimals,
    IReadOnlyList<GovernanceChange> Applied);
