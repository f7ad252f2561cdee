using Usd1Reconciler.Core.Reconciliation;

namespace Usd1Reconciler.Storage;

/// <summary>
/// The provider-neutral half of both report logs (<see cref="Sqlite.SqliteReconciliationStore"/>,
/// <see cref="Postgres.PostgresReconciliationStore"/>): the append and its hash link, which reports count as the
/// current conclusive result, and the column list both read a report by. The provider opens the transaction holding
/// whatever serializes writers of the chain (SQLite: <c>BEGIN IMMEDIATE</c>; PostgreSQL: <c>LOCK TABLE … EXCLUSIVE</c>)
/// and gives its SQL steps as an <see cref="IReportChainTransaction"/>. Invariants kept here, alike for both: a
/// scheduled firing has at most one report (a second append returns the first, unchanged); every report links to the
/// hash of the newest one before it, or of the last pruned one, or genesis; ids run 1, 2, 3 … across prunes; the hash
/// is <see cref="ReportChain.Hash"/> of the link and the canonical text, so <see cref="ReportChain.Verify"/> checks
/// either store alike.
/// </summary>
internal static class ReportLog
{
    /// <summary>The report columns, named as <see cref="StoredReportRow"/> reads them.</summary>
    public const string Columns =
        "id AS Id, kind AS Kind, created_at AS CreatedAt, evaluated_at AS EvaluatedAt, verdict AS Verdict, shortfall_usd AS ShortfallUsd, " +
        "canonical AS Canonical, prev_hash AS PreviousHash, hash AS Hash";

    /// <summary>The report kind of <c>reconcile --at</c>: judged at a past as-of time, so never the current conclusive result.</summary>
    public const string PointInTimeKind = "point_in_time";

    /// <summary>The condition (parameter <c>@pointInTime</c> = <see cref="PointInTimeKind"/>) of a report that is a current conclusive result.</summary>
    public const string ConclusiveCurrent = "verdict IN ('covered', 'undercollateralized') AND kind <> @pointInTime";

    /// <summary>
    /// Appends <paramref name="report"/> to the chain, or — for a scheduled firing (<paramref name="scheduledFor"/>)
    /// that has its report already — returns that one with <c>Appended</c> false, writing nothing; the provider then
    /// rolls back instead of committing.
    /// </summary>
    public static async Task<(StoredReport Report, bool Appended)> AppendAsync(
        IReportChainTransaction transaction, ReportDraft report, DateTimeOffset? scheduledFor, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(transaction);
        ArgumentNullException.ThrowIfNull(report);
        if (scheduledFor is { } firing && await transaction.FindScheduledAsync(report.Kind, firing, cancellationToken) is { } existing)
        {
            return (existing, false);
        }

        var link = await transaction.NewestAsync(cancellationToken) ?? Anchor(await transaction.AnchorAsync(cancellationToken));
        var hash = ReportChain.Hash(link.Hash, report.Canonical);
        var id = await transaction.InsertAsync(report, scheduledFor, link.Id + 1, link.Hash, hash, cancellationToken);
        return (new StoredReport(id, report.Kind, report.CreatedAt, report.EvaluatedAt, report.Verdict, report.ShortfallUsd, report.Canonical, link.Hash, hash), true);
    }

    /// <summary>The anchor the oldest stored report links to: the last pruned report, or genesis (id 0) when none was pruned.</summary>
    public static (long PrunedThrough, string Hash) Anchor((long PrunedThrough, string Hash)? stored) => stored ?? (0, ReportChain.GenesisHash);

    /// <summary>The chain's length and head: pruned reports count towards the length, so retention never looks like a truncation.</summary>
    public static ReportChainHead Head(long storedCount, long prunedCount, string? headHash) => new(prunedCount + storedCount, prunedCount, headHash);
}
