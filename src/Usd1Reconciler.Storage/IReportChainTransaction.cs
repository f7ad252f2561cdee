using Usd1Reconciler.Core.Reconciliation;

namespace Usd1Reconciler.Storage;

/// <summary>
/// The SQL steps <see cref="ReportLog.AppendAsync"/> drives inside one append transaction of a report log, which the
/// provider opened holding the chain's write lock, so nothing can be appended or pruned between the steps.
/// </summary>
internal interface IReportChainTransaction
{
    /// <summary>The report of the scheduled firing (<paramref name="kind"/>, <paramref name="scheduledFor"/>), or null when it has none yet.</summary>
    Task<StoredReport?> FindScheduledAsync(string kind, DateTimeOffset scheduledFor, CancellationToken cancellationToken);

    /// <summary>The newest stored report's id and hash; null when none is stored.</summary>
    Task<(long Id, string Hash)?> NewestAsync(CancellationToken cancellationToken);

    /// <summary>The prune anchor: the id pruned through and the hash of that report; null when nothing was ever pruned.</summary>
    Task<(long PrunedThrough, string Hash)?> AnchorAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Inserts the report with its link and hash; returns its id, which is <paramref name="id"/>: PostgreSQL assigns
    /// it so (a sequence would leave gaps on rollback), SQLite's rowid comes out the same because the newest report is
    /// never pruned.
    /// </summary>
    Task<long> InsertAsync(ReportDraft report, DateTimeOffset? scheduledFor, long id, string previousHash, string hash, CancellationToken cancellationToken);
}
