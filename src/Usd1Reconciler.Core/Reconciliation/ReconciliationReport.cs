using Usd1Reconciler.Core.Amounts;

namespace Usd1Reconciler.Core.Reconciliation;

/// <summary>
/// A reconciliation's verdict with every input it was reached from. <see cref="Shortfall"/> is what the reserves lack
/// to meet the minimum coverage (zero unless the coverage rule fails); the liquidity and concentration rules carry
/// their own shortfalls in <see cref="Rules"/>.
/// Provenance (invariant 9): an Inconclusive report has no circulating, reserve, shortfall or coverage figure and no
/// rule results — each would be computed from an input that is missing or stale. It names the failing inputs, keeps
/// every per-input detail, and carries <see cref="LastConclusive"/> and <see cref="InconclusiveSince"/> instead.
/// </summary>
/// <param name="CirculatingSupply">Σ circulating over all networks; null when Inconclusive.</param>
/// <param name="Reserves">Σ eligible reserves over all feeds; null when Inconclusive.</param>
/// <param name="Shortfall">What the reserves lack to meet the minimum coverage; null when Inconclusive.</param>
/// <param name="CoverageBps">Reserves / circulating supply in basis points (floor); null when nothing circulates or when Inconclusive.</param>
/// <param name="FailingInputs">For Inconclusive: each stale, missing or failing input, named.</param>
/// <param name="Rules">The rule results; empty when Inconclusive (a rule judged on partial inputs is no judgement).</param>
/// <param name="LastConclusive">For Inconclusive: the newest conclusive result before it, or null when there was none.</param>
/// <param name="InconclusiveSince">For Inconclusive: when the run of Inconclusive reports this one belongs to began.</param>
/// <param name="RunRisk">Redemption velocity and runway of a conclusive report made with redemption input (format 3); null otherwise.</param>
public sealed record ReconciliationReport(
    string Kind,
    DateTimeOffset EvaluatedAt,
    ReconciliationVerdict Verdict,
    UsdAmount? CirculatingSupply,
    UsdAmount? Reserves,
    UsdAmount? Shortfall,
    long? CoverageBps,
    IReadOnlyList<string> FailingInputs,
    IReadOnlyList<RuleResult> Rules,
    IReadOnlyList<NetworkCirculation> Networks,
    IReadOnlyList<FeedInput> Feeds,
    ReconciliationPolicy Policy,
    ConclusiveResult? LastConclusive = null,
    DateTimeOffset? InconclusiveSince = null,
    Redemptions.RunRisk? RunRisk = null,
    IReadOnlyList<Governance.GovernanceSeen>? Governance = null);
