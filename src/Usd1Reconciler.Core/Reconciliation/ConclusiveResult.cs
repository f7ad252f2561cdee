using Usd1Reconciler.Core.Amounts;

namespace Usd1Reconciler.Core.Reconciliation;

/// <summary>
/// The figures of the newest conclusive (Covered or Undercollateralized) report, carried beside an Inconclusive one so
/// that an outage shows the last result that was computed from complete inputs, with its age, instead of a figure
/// computed from what happened to be readable.
/// </summary>
/// <param name="ReportId">Id of the conclusive report in the chain.</param>
/// <param name="Hash">Its chain hash, so the reference can be checked against the chain.</param>
/// <param name="EvaluatedAt">The time its figures hold for.</param>
/// <param name="CoverageBps">Reserves / circulating supply in basis points; null when nothing circulated.</param>
public sealed record ConclusiveResult(
    long ReportId,
    string Hash,
    ReconciliationVerdict Verdict,
    DateTimeOffset EvaluatedAt,
    UsdAmount CirculatingSupply,
    UsdAmount Reserves,
    UsdAmount Shortfall,
    long? CoverageBps);
