using Usd1Reconciler.Core.Reconciliation;

namespace Usd1Reconciler.Reconciliation;

/// <summary>
/// Where the chain stands (invariant 9): the newest report, the newest conclusive result and since when the reports
/// after it are Inconclusive. Read from the store each time, so a restarted daemon shows what it showed before.
/// </summary>
/// <param name="Latest">The newest report of any kind; null when the chain is empty.</param>
/// <param name="LastConclusiveReport">The newest conclusive report still stored (null when none, or pruned).</param>
/// <param name="LastConclusive">Its figures; when it was pruned, the result the newest Inconclusive report carries.</param>
/// <param name="InconclusiveSince">When the current run of Inconclusive reports began; null while the newest report is conclusive.</param>
internal sealed record ReconciliationProvenance(
    StoredReport? Latest,
    StoredReport? LastConclusiveReport,
    ConclusiveResult? LastConclusive,
    DateTimeOffset? InconclusiveSince)
{
    public static async Task<ReconciliationProvenance> ReadAsync(IReportStore store, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        var newest = await store.ListReportsAsync(1, cancellationToken);
        var latest = newest.Count > 0 ? newest[0] : null;
        var conclusiveReport = await store.GetLatestConclusiveReportAsync(cancellationToken);
        var lastConclusive = conclusiveReport is null ? null : ReportCanonicalForm.ReadFigures(conclusiveReport).Conclusive;
        var since = await store.GetInconclusiveSinceAsync(cancellationToken);
        // A point-in-time report (`reconcile --at`) is about a past as-of time and carries no run; it is skipped here.
        if (latest is not null && latest.Kind != ReconciliationRunner.PointInTime
            && ReportCanonicalForm.ReadFigures(latest) is { Verdict: ReconciliationVerdict.Inconclusive } figures)
        {
            // Pruning may have removed the conclusive report and the start of the run; the newest Inconclusive report
            // still carries both (format 2), and the earlier start is the true one.
            lastConclusive ??= figures.LastConclusive;
            if (figures.InconclusiveSince is { } carried && (since is null || carried < since))
            {
                since = carried;
            }

            since ??= latest.CreatedAt;
        }

        return new ReconciliationProvenance(latest, conclusiveReport, lastConclusive, since);
    }
}
