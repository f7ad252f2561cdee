using Usd1Reconciler.Core.Amounts;

namespace Usd1Reconciler.Core.Reconciliation;

/// <summary>
/// One stored report reduced to what a history chart draws: when its figures hold, its verdict, circulating supply
/// and coverage. Provenance (invariant 9): an Inconclusive report has neither figure — the chart shows a gap there,
/// never a zero — even when a report written before format 2 stored a partial sum.
/// </summary>
/// <param name="CirculatingSupply">Σ circulating (tokens = USD) of a conclusive report; null when Inconclusive.</param>
/// <param name="CoverageBps">Reserves / circulating in bps of a conclusive report; null when Inconclusive or nothing circulated.</param>
public sealed record ReportHistoryPoint(
    long Id,
    DateTimeOffset EvaluatedAt,
    ReconciliationVerdict Verdict,
    UsdAmount? CirculatingSupply,
    long? CoverageBps)
{
    /// <summary>
    /// A point from a stored report's columns and the two figures its canonical JSON holds (as a store reads them out
    /// without parsing the whole report): the figures are dropped for an Inconclusive verdict, whatever the format stored.
    /// </summary>
    public static ReportHistoryPoint FromStored(long id, DateTimeOffset evaluatedAt, string verdictText, string? circulatingSupplyUsd, long? coverageBps)
    {
        var verdict = ReportCanonicalForm.ParseVerdict(verdictText);
        var conclusive = verdict != ReconciliationVerdict.Inconclusive;
        return new ReportHistoryPoint(
            id,
            evaluatedAt,
            verdict,
            conclusive && circulatingSupplyUsd is not null ? UsdAmount.Parse(circulatingSupplyUsd) : null,
            conclusive ? coverageBps : null);
    }
}
