using Usd1Reconciler.Core.Amounts;

namespace Usd1Reconciler.Core.Reconciliation;

/// <summary>
/// A reconciliation's verdict with every input it was reached from. <see cref="Shortfall"/> is what the reserves lack
/// to meet the minimum coverage (zero unless the coverage rule fails); the liquidity and concentration rules carry
/// their own shortfalls in <see cref="Rules"/>.
/// </summary>
/// <param name="CoverageBps">Reserves / circulating supply in basis points (floor); null when nothing circulates.</param>
/// <param name="FailingInputs">For Inconclusive: each stale, missing or failing input, named.</param>
public sealed record ReconciliationReport(
    string Kind,
    DateTimeOffset EvaluatedAt,
    ReconciliationVerdict Verdict,
    UsdAmount CirculatingSupply,
    UsdAmount Reserves,
    UsdAmount Shortfall,
    long? CoverageBps,
    IReadOnlyList<string> FailingInputs,
    IReadOnlyList<RuleResult> Rules,
    IReadOnlyList<NetworkCirculation> Networks,
    IReadOnlyList<FeedInput> Feeds,
    ReconciliationPolicy Policy);
