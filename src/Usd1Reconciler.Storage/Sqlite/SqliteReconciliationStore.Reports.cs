using System.Data.Common;
using Dapper;
using Microsoft.Data.Sqlite;
using Usd1Reconciler.Core.Reconciliation;

namespace Usd1Reconciler.Storage.Sqlite;

public sealed partial class SqliteReconciliationStore
{
    private const string ReportColumns = ReportLog.Columns;
    private const string PointInTimeKind = ReportLog.PointInTimeKind;
    private const string ConclusiveCurrent = ReportLog.ConclusiveCurrent;

    public async Task<StoredReport> AppendReportAsync(
        string kind, DateTimeOffset createdAt, DateTimeOffset evaluatedAt, string verdict, string shortfallUsd, string canonical, CancellationToken cancellationToken) =>
        (await AppendAsync(new ReportDraft(kind, createdAt, evaluatedAt, verdict, shortfallUsd, canonical), scheduledFor: null, cancellationToken)).Report;

    public Task<(StoredReport Report, bool Appended)> AppendScheduledReportAsync(
        string kind, DateTimeOffset scheduledFor, DateTimeOffset createdAt, DateTimeOffset evaluatedAt, string verdict, string shortfallUsd, string canonical, CancellationToken cancellationToken) =>
        AppendAsync(new ReportDraft(kind, createdAt, evaluatedAt, verdict, shortfallUsd, canonical), scheduledFor, cancellationToken);

    public async Task<StoredReport?> GetScheduledReportAsync(string kind, DateTimeOffset scheduledFor, CancellationToken cancellationToken)
    {
        await using var connection = supplyStore.OpenConnection();
        var row = await connection.QuerySingleOrDefaultAsync<ReportRow>(new CommandDefinition(
            $"SELECT {ReportColumns} FROM reconciliation_reports WHERE kind = @kind AND scheduled_for = @scheduledFor",
            new { kind, scheduledFor = SqliteSupplyStore.Text(scheduledFor) },
            cancellationToken: cancellationToken));
        return row?.ToReport();
    }

    private async Task<(StoredReport Report, bool Appended)> AppendAsync(ReportDraft report, DateTimeOffset? scheduledFor, CancellationToken cancellationToken)
    {
        await using var connection = supplyStore.OpenConnection();
        // BEGIN IMMEDIATE takes the write lock now, before the newest hash (and the firing's key) is read: the reads
        // and the insert are one step, so neither the chain nor a firing's report can fork.
        await connection.ExecuteAsync(new CommandDefinition("BEGIN IMMEDIATE", cancellationToken: cancellationToken));
        try
        {
            var appended = await ReportLog.AppendAsync(new ChainSteps(connection), report, scheduledFor, cancellationToken);
            await connection.ExecuteAsync(new CommandDefinition(appended.Appended ? "COMMIT" : "ROLLBACK", cancellationToken: CancellationToken.None));
            return appended;
        }
        catch
        {
            await connection.ExecuteAsync(new CommandDefinition("ROLLBACK", cancellationToken: CancellationToken.None));
            throw;
        }
    }

    public async Task<StoredReport?> GetReportAsync(long id, CancellationToken cancellationToken)
    {
        await using var connection = supplyStore.OpenConnection();
        var row = await connection.QuerySingleOrDefaultAsync<ReportRow>(new CommandDefinition(
            $"SELECT {ReportColumns} FROM reconciliation_reports WHERE id = @id", new { id }, cancellationToken: cancellationToken));
        return row?.ToReport();
    }

    public async Task<IReadOnlyList<StoredReport>> ListReportsAsync(int limit, CancellationToken cancellationToken)
    {
        await using var connection = supplyStore.OpenConnection();
        var rows = await connection.QueryAsync<ReportRow>(new CommandDefinition(
            $"SELECT {ReportColumns} FROM reconciliation_reports ORDER BY id DESC LIMIT @limit", new { limit }, cancellationToken: cancellationToken));
        return rows.Select(r => r.ToReport()).ToList();
    }

    public async Task<StoredReport?> GetLatestConclusiveReportAsync(CancellationToken cancellationToken)
    {
        await using var connection = supplyStore.OpenConnection();
        var row = await connection.QuerySingleOrDefaultAsync<ReportRow>(new CommandDefinition(
            $"SELECT {ReportColumns} FROM reconciliation_reports WHERE {ConclusiveCurrent} ORDER BY id DESC LIMIT 1",
            new { pointInTime = PointInTimeKind },
            cancellationToken: cancellationToken));
        return row?.ToReport();
    }

    public async Task<DateTimeOffset?> GetInconclusiveSinceAsync(CancellationToken cancellationToken)
    {
        await using var connection = supplyStore.OpenConnection();
        var createdAt = await connection.ExecuteScalarAsync<string?>(new CommandDefinition(
            $"""
            SELECT created_at FROM reconciliation_reports
            WHERE verdict = 'inconclusive' AND kind <> @pointInTime
              AND id > COALESCE((SELECT MAX(id) FROM reconciliation_reports WHERE {ConclusiveCurrent}), 0)
            ORDER BY id LIMIT 1
            """,
            new { pointInTime = PointInTimeKind },
            cancellationToken: cancellationToken));
        return createdAt is null ? null : SqliteSupplyStore.ParseTime(createdAt);
    }

    public async Task<(IReadOnlyList<StoredReport> Reports, string AnchorHash)> GetChainAsync(CancellationToken cancellationToken)
    {
        await using var connection = supplyStore.OpenConnection();
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var rows = await connection.QueryAsync<ReportRow>(new CommandDefinition(
            $"SELECT {ReportColumns} FROM reconciliation_reports ORDER BY id", transaction: transaction, cancellationToken: cancellationToken));
        var anchor = await AnchorHashAsync(connection, cancellationToken, transaction);
        return (rows.Select(r => r.ToReport()).ToList(), anchor);
    }

    /// <summary>
    /// The chain and what retention removed from it, read in one transaction: the reports oldest first, the anchor hash
    /// the oldest links to, and how many reports were pruned behind it (the anchor's <c>pruned_through</c>: report ids
    /// are assigned 1, 2, 3 … and pruning removes every id up to it, so it is also the count).
    /// </summary>
    public async Task<(IReadOnlyList<StoredReport> Reports, string AnchorHash, long PrunedCount)> GetChainForAuditAsync(CancellationToken cancellationToken)
    {
        await using var connection = supplyStore.OpenConnection();
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var rows = await connection.QueryAsync<ReportRow>(new CommandDefinition(
            $"SELECT {ReportColumns} FROM reconciliation_reports ORDER BY id", transaction: transaction, cancellationToken: cancellationToken));
        var anchor = await AnchorHashAsync(connection, cancellationToken, transaction);
        var pruned = await PrunedCountAsync(connection, transaction, cancellationToken);
        return (rows.Select(r => r.ToReport()).ToList(), anchor, pruned);
    }

    /// <summary>
    /// Length and head of the chain in one cheap read (no report content), for the metrics an outside witness scrapes.
    /// Pruned reports count towards the length, so retention never looks like a truncation.
    /// </summary>
    public async Task<ReportChainHead> GetChainHeadAsync(CancellationToken cancellationToken)
    {
        await using var connection = supplyStore.OpenConnection();
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var stored = await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            "SELECT COUNT(*) FROM reconciliation_reports", transaction: transaction, cancellationToken: cancellationToken));
        var head = await connection.ExecuteScalarAsync<string?>(new CommandDefinition(
            "SELECT hash FROM reconciliation_reports ORDER BY id DESC LIMIT 1", transaction: transaction, cancellationToken: cancellationToken));
        var pruned = await PrunedCountAsync(connection, transaction, cancellationToken);
        return ReportLog.Head(stored, pruned, head);
    }

    public async Task<int> PruneReportsAsync(DateTimeOffset before, CancellationToken cancellationToken)
    {
        await using var connection = supplyStore.OpenConnection();
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        // The newest report always stays, so the chain never restarts from genesis and a deletion cannot hide.
        var through = await connection.QuerySingleOrDefaultAsync<PruneRow>(new CommandDefinition(
            """
            SELECT id AS Id, hash AS Hash FROM reconciliation_reports
            WHERE created_at < @before AND id < (SELECT MAX(id) FROM reconciliation_reports)
            ORDER BY id DESC LIMIT 1
            """,
            new { before = SqliteSupplyStore.Text(before) },
            transaction,
            cancellationToken: cancellationToken));
        if (through is null)
        {
            return 0;
        }

        var deleted = await connection.ExecuteAsync(new CommandDefinition(
            "DELETE FROM reconciliation_reports WHERE id <= @Id", new { through.Id }, transaction, cancellationToken: cancellationToken));
        await connection.ExecuteAsync(new CommandDefinition(
            "INSERT INTO report_chain_anchor (id, pruned_through, hash) VALUES (1, @Id, @Hash) ON CONFLICT (id) DO UPDATE SET pruned_through = excluded.pruned_through, hash = excluded.hash",
            new { through.Id, through.Hash },
            transaction,
            cancellationToken: cancellationToken));
        await transaction.CommitAsync(cancellationToken);
        return deleted;
    }

    private static async Task<string> AnchorHashAsync(SqliteConnection connection, CancellationToken cancellationToken, DbTransaction? transaction = null) =>
        await connection.ExecuteScalarAsync<string?>(new CommandDefinition(
            "SELECT hash FROM report_chain_anchor WHERE id = 1", transaction: transaction, cancellationToken: cancellationToken))
        ?? ReportChain.GenesisHash;

    private static async Task<long> PrunedCountAsync(SqliteConnection connection, DbTransaction transaction, CancellationToken cancellationToken) =>
        await connection.ExecuteScalarAsync<long?>(new CommandDefinition(
            "SELECT pruned_through FROM report_chain_anchor WHERE id = 1", transaction: transaction, cancellationToken: cancellationToken))
        ?? 0;

    /// <summary>This store's SQL for <see cref="ReportLog.AppendAsync"/>, inside the <c>BEGIN IMMEDIATE</c> transaction of the connection.</summary>
    private sealed class ChainSteps(SqliteConnection connection) : IReportChainTransaction
    {
        public async Task<StoredReport?> FindScheduledAsync(string kind, DateTimeOffset scheduledFor, CancellationToken cancellationToken) =>
            (await connection.QuerySingleOrDefaultAsync<ReportRow>(new CommandDefinition(
                $"SELECT {ReportColumns} FROM reconciliation_reports WHERE kind = @kind AND scheduled_for = @key",
                new { kind, key = SqliteSupplyStore.Text(scheduledFor) },
                cancellationToken: cancellationToken)))?.ToReport();

        public async Task<(long Id, string Hash)?> NewestAsync(CancellationToken cancellationToken) =>
            await connection.QuerySingleOrDefaultAsync<PruneRow>(new CommandDefinition(
                "SELECT id AS Id, hash AS Hash FROM reconciliation_reports ORDER BY id DESC LIMIT 1", cancellationToken: cancellationToken)) is { } row
                ? (row.Id, row.Hash)
                : null;

        public async Task<(long PrunedThrough, string Hash)?> AnchorAsync(CancellationToken cancellationToken) =>
            await connection.QuerySingleOrDefaultAsync<PruneRow>(new CommandDefinition(
                "SELECT pruned_through AS Id, hash AS Hash FROM report_chain_anchor WHERE id = 1", cancellationToken: cancellationToken)) is { } row
                ? (row.Id, row.Hash)
                : null;

        // The rowid SQLite assigns is the id asked for (the newest report is never pruned, so it is the largest ever
        // used); it is read back rather than set, as the store always has.
        public Task<long> InsertAsync(ReportDraft report, DateTimeOffset? scheduledFor, long id, string previousHash, string hash, CancellationToken cancellationToken) =>
            connection.ExecuteScalarAsync<long>(new CommandDefinition(
                """
                INSERT INTO reconciliation_reports (kind, created_at, evaluated_at, verdict, shortfall_usd, canonical, prev_hash, hash, scheduled_for)
                VALUES (@Kind, @CreatedAt, @EvaluatedAt, @Verdict, @ShortfallUsd, @Canonical, @previousHash, @hash, @key);
                SELECT last_insert_rowid();
                """,
                new
                {
                    report.Kind,
                    CreatedAt = SqliteSupplyStore.Text(report.CreatedAt),
                    EvaluatedAt = SqliteSupplyStore.Text(report.EvaluatedAt),
                    report.Verdict,
                    report.ShortfallUsd,
                    report.Canonical,
                    previousHash,
                    hash,
                    key = scheduledFor is { } firing ? SqliteSupplyStore.Text(firing) : null,
                },
                cancellationToken: cancellationToken));
    }

    private sealed class PruneRow
    {
        public long Id { get; init; }
        public string Hash { get; init; } = "";
    }

    private sealed class ReportRow : StoredReportRow
    {
        public string CreatedAt { get; init; } = "";
        public string EvaluatedAt { get; init; } = "";

        protected override (DateTimeOffset CreatedAt, DateTimeOffset EvaluatedAt) ReadTimes() => (SqliteSupplyStore.ParseTime(CreatedAt), SqliteSupplyStore.ParseTime(EvaluatedAt));
    }
}
