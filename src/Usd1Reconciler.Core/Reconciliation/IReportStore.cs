namespace Usd1Reconciler.Core.Reconciliation;

/// <summary>The hash-chained report log. Implementations hold all SQL.</summary>
public interface IReportStore
{
    /// <summary>
    /// Appends a report: reads the newest hash, links the new report to it and inserts it in one write transaction,
    /// so two writers cannot fork the chain.
    /// </summary>
    Task<StoredReport> AppendReportAsync(string kind, DateTimeOffset createdAt, DateTimeOffset evaluatedAt, string verdict, string shortfallUsd, string canonical, CancellationToken cancellationToken);

    /// <summary>
    /// Appends the report of one scheduled firing (issue 14.5), keyed by (<paramref name="kind"/>,
    /// <paramref name="scheduledFor"/>): when a report for that firing is already stored — the job ran again for it
    /// after a recovery, a misfire or a takeover — nothing is written and that report is returned with
    /// <c>Appended</c> false. The check and the insert are one serialized write, like <see cref="AppendReportAsync"/>.
    /// The key is stored beside the report, never inside its canonical bytes or its hash.
    /// </summary>
    Task<(StoredReport Report, bool Appended)> AppendScheduledReportAsync(
        string kind, DateTimeOffset scheduledFor, DateTimeOffset createdAt, DateTimeOffset evaluatedAt, string verdict, string shortfallUsd, string canonical, CancellationToken cancellationToken);

    /// <summary>The report stored for the firing (<paramref name="kind"/>, <paramref name="scheduledFor"/>), or null.</summary>
    Task<StoredReport?> GetScheduledReportAsync(string kind, DateTimeOffset scheduledFor, CancellationToken cancellationToken);

    Task<StoredReport?> GetReportAsync(long id, CancellationToken cancellationToken);

    /// <summary>Newest first, at most <paramref name="limit"/>.</summary>
    Task<IReadOnlyList<StoredReport>> ListReportsAsync(int limit, CancellationToken cancellationToken);

    /// <summary>
    /// The newest conclusive (covered or undercollateralized) report, ignoring point-in-time reports (a report about a
    /// past as-of time says nothing about now); null when there is none.
    /// </summary>
    Task<StoredReport?> GetLatestConclusiveReportAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Creation time of the first Inconclusive report after the newest conclusive one (point-in-time reports ignored):
    /// when the current run of Inconclusive reports began. Null when the newest such report is conclusive or there is none.
    /// </summary>
    Task<DateTimeOffset?> GetInconclusiveSinceAsync(CancellationToken cancellationToken);

    /// <summary>Every report, oldest first, with the hash the oldest one must link to (genesis, or the last pruned report's).</summary>
    Task<(IReadOnlyList<StoredReport> Reports, string AnchorHash)> GetChainAsync(CancellationToken cancellationToken);

    /// <summary>Deletes reports created before <paramref name="before"/>, keeping the newest one, and records the hash the remaining chain starts from. Returns the count deleted.</summary>
    Task<int> PruneReportsAsync(DateTimeOffset before, CancellationToken cancellationToken);

    /// <summary>Deletes feed rejections received before <paramref name="before"/>; returns the count deleted.</summary>
    Task<int> PruneRejectionsAsync(DateTimeOffset before, CancellationToken cancellationToken);
}
