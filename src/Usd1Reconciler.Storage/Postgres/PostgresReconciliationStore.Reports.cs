using Dapper;
using Npgsql;
using Usd1Reconciler.Core.Reconciliation;

namespace Usd1Reconciler.Storage.Postgres;

public sealed partial class PostgresReconciliationStore
{
    private const string ReportColumns = ReportLog.Columns;
    private const string PointInTimeKind = ReportLog.PointInTimeKind;
    private const string ConclusiveCurrent = ReportLog.ConclusiveCurrent;

    /// <summary>
    /// EXCLUSIVE mode conflicts with itself and with every write, not with reads: appends (and prunes) from all
    /// instances run one after the other, each linking to the hash the previous one committed, while `report` and the
    /// status page keep reading. The id is the next one after the newest (or after the pruned ones), so ids stay 1, 2, 3 …
    /// </summary>
    public async Task<StoredReport> AppendReportAsync(
        string kind, DateTimeOffset createdAt, DateTimeOffset evaluatedAt, string verdict, string shortfallUsd, string canonical, CancellationToken cancellationToken) =>
        (await AppendAsync(new ReportDraft(kind, createdAt, evaluatedAt, verdict, shortfallUsd, canonical), scheduledFor: null, cancellationToken)).Report;

    public Task<(StoredReport Report, bool Appended)> AppendScheduledReportAsync(
        string kind, DateTimeOffset scheduledFor, DateTimeOffset createdAt, DateTimeOffset evaluatedAt, string verdict, string shortfallUsd, string canonical, CancellationToken cancellationToken) =>
        AppendAsync(new ReportDraft(kind, createdAt, evaluatedAt, verdict, shortfallUsd, canonical), scheduledFor, cancellationToken);

    public async Task<StoredReport?> GetScheduledReportAsync(string kind, DateTimeOffset scheduledFor, CancellationToken cancellationToken)
    {
        await using var connection = await supplyStore.OpenConnectionAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<ReportRow>(new CommandDefinition(
            $"SELECT {ReportColumns} FROM reconciliation_reports WHERE kind = @kind AND scheduled_for = @scheduledFor",
            new { kind, scheduledFor = PostgresSupplyStore.Utc(scheduledFor) },
            cancellationToken: cancellationToken));
        return row?.ToReport();
    }

    /// <summary>
    /// The append of both kinds of report. A scheduled firing's key (issue 14.5) is looked up after the chain lock is
    /// taken, so two instances running one firing at once are serialized there and the second finds the first's report.
    /// </summary>
    private async Task<(StoredReport Report, bool Appended)> AppendAsync(ReportDraft report, DateTimeOffset? scheduledFor, CancellationToken cancellationToken)
    {
        await using var connection = await supplyStore.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await LockChainAsync(connection, transaction, cancellationToken);
        var appended = await ReportLog.AppendAsync(new ChainSteps(connection, transaction), report, scheduledFor, cancellationToken);
        if (appended.Appended)
        {
            await transaction.CommitAsync(cancellationToken);
        }
        else
        {
            await transaction.RollbackAsync(cancellationToken);
        }

        return appended;
    }

    public async Task<StoredReport?> GetReportAsync(long id, CancellationToken cancellationToken)
    {
        await using var connection = await supplyStore.OpenConnectionAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<ReportRow>(new CommandDefinition(
            $"SELECT {ReportColumns} FROM reconciliation_reports WHERE id = @id", new { id }, cancellationToken: cancellationToken));
        return row?.ToReport();
    }

    public async Task<IReadOnlyList<StoredReport>> ListReportsAsync(int limit, CancellationToken cancellationToken)
    {
        await using var connection = await supplyStore.OpenConnectionAsync(cancellationToken);
        var rows = await connection.QueryAsync<ReportRow>(new CommandDefinition(
            $"SELECT {ReportColumns} FROM reconciliation_reports ORDER BY id DESC LIMIT @limit", new { limit }, cancellationToken: cancellationToken));
        return rows.Select(r => r.ToReport()).ToList();
    }

    public async Task<StoredReport?> GetLatestConclusiveReportAsync(CancellationToken cancellationToken)
    {
        await using var connection = await supplyStore.OpenConnectionAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<ReportRow>(new CommandDefinition(
            $"SELECT {ReportColumns} FROM reconciliation_reports WHERE {ConclusiveCurrent} ORDER BY id DESC LIMIT 1",
            new { pointInTime = PointInTimeKind },
            cancellationToken: cancellationToken));
        return row?.ToReport();
    }

    public async Task<DateTimeOffset?> GetInconclusiveSinceAsync(CancellationToken cancellationToken)
    {
        await using var connection = await supplyStore.OpenConnectionAsync(cancellationToken);
        var createdAt = await connection.ExecuteScalarAsync<DateTime?>(new CommandDefinition(
            $"""
            SELECT created_at FROM reconciliation_reports
            WHERE verdict = 'inconclusive' AND kind <> @pointInTime
              AND id > COALESCE((SELECT MAX(id) FROM reconciliation_reports WHERE {ConclusiveCurrent}), 0)
            ORDER BY id LIMIT 1
            """,
            new { pointInTime = PointInTimeKind },
            cancellationToken: cancellationToken));
        return PostgresSupplyStore.Time(createdAt);
    }

    public async Task<(IReadOnlyList<StoredReport> Reports, string AnchorHash)> GetChainAsync(CancellationToken cancellationToken)
    {
        var (reports, anchorHash, _) = await GetChainForAuditAsync(cancellationToken);
        return (reports, anchorHash);
    }

    /// <summary>The reports oldest first, the anchor hash and the pruned count, from one snapshot (REPEATABLE READ).</summary>
    public async Task<(IReadOnlyList<StoredReport> Reports, string AnchorHash, long PrunedCount)> GetChainForAuditAsync(CancellationToken cancellationToken)
    {
        await using var connection = await supplyStore.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(System.Data.IsolationLevel.RepeatableRead, cancellationToken);
        var rows = await connection.QueryAsync<ReportRow>(new CommandDefinition(
            $"SELECT {ReportColumns} FROM reconciliation_reports ORDER BY id", transaction: transaction, cancellationToken: cancellationToken));
        var anchor = await AnchorAsync(connection, transaction, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return (rows.Select(r => r.ToReport()).ToList(), anchor.Hash, anchor.PrunedThrough);
    }

    /// <summary>Length and head of the chain in one cheap read; pruned reports count towards the length.</summary>
    public async Task<ReportChainHead> GetChainHeadAsync(CancellationToken cancellationToken)
    {
        await using var connection = await supplyStore.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(System.Data.IsolationLevel.RepeatableRead, cancellationToken);
        var stored = await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            "SELECT COUNT(*) FROM reconciliation_reports", transaction: transaction, cancellationToken: cancellationToken));
        var head = await connection.ExecuteScalarAsync<string?>(new CommandDefinition(
            "SELECT hash FROM reconciliation_reports ORDER BY id DESC LIMIT 1", transaction: transaction, cancellationToken: cancellationToken));
        var anchor = await AnchorAsync(connection, transaction, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return ReportLog.Head(stored, anchor.PrunedThrough, head);
    }

    public async Task<int> PruneReportsAsync(DateTimeOffset before, CancellationToken cancellationToken)
    {
        await using var connection = await supplyStore.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await LockChainAsync(connection, transaction, cancellationToken);

        // The newest report always stays, so the chain never restarts from genesis and a deletion cannot hide.
        var through = await connection.QuerySingleOrDefaultAsync<PruneRow>(new CommandDefinition(
            """
            SELECT id AS Id, hash AS Hash FROM reconciliation_reports
            WHERE created_at < @before AND id < (SELECT MAX(id) FROM reconciliation_reports)
            ORDER BY id DESC LIMIT 1
            """,
            new { before = PostgresSupplyStore.Utc(before) },
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

    private static Task<int> LockChainAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, CancellationToken cancellationToken) =>
        connection.ExecuteAsync(new CommandDefinition(
            "LOCK TABLE reconciliation_reports IN EXCLUSIVE MODE", transaction: transaction, cancellationToken: cancellationToken));

    private static async Task<(long PrunedThrough, string Hash)> AnchorAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, CancellationToken cancellationToken) =>
        ReportLog.Anchor(await ReadAnchorAsync(connection, transaction, cancellationToken));

    private static async Task<(long PrunedThrough, string Hash)?> ReadAnchorAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, CancellationToken cancellationToken) =>
        await connection.QuerySingleOrDefaultAsync<PruneRow>(new CommandDefinition(
            "SELECT pruned_through AS Id, hash AS Hash FROM report_chain_anchor WHERE id = 1", transaction: transaction, cancellationToken: cancellationToken)) is { } row
            ? (row.Id, row.Hash)
            : null;

    /// <summary>This store's SQL for <see cref="ReportLog.AppendAsync"/>, inside the locked append transaction.</summary>
    private sealed class ChainSteps(NpgsqlConnection connection, NpgsqlTransaction transaction) : IReportChainTransaction
    {
        public async Task<StoredReport?> FindScheduledAsync(string kind, DateTimeOffset scheduledFor, CancellationToken cancellationToken) =>
            (await connection.QuerySingleOrDefaultAsync<ReportRow>(new CommandDefinition(
                $"SELECT {ReportColumns} FROM reconciliation_reports WHERE kind = @kind AND scheduled_for = @key",
                new { kind, key = PostgresSupplyStore.Utc(scheduledFor) },
                transaction,
                cancellationToken: cancellationToken)))?.ToReport();

        public async Task<(long Id, string Hash)?> NewestAsync(CancellationToken cancellationToken) =>
            await connection.QuerySingleOrDefaultAsync<PruneRow>(new CommandDefinition(
                "SELECT id AS Id, hash AS Hash FROM reconciliation_reports ORDER BY id DESC LIMIT 1", transaction: transaction, cancellationToken: cancellationToken)) is { } row
                ? (row.Id, row.Hash)
                : null;

        public Task<(long PrunedThrough, string Hash)?> AnchorAsync(CancellationToken cancellationToken) => ReadAnchorAsync(connection, transaction, cancellationToken);

        public async Task<long> InsertAsync(ReportDraft report, DateTimeOffset? scheduledFor, long id, string previousHash, string hash, CancellationToken cancellationToken)
        {
            await connection.ExecuteAsync(new CommandDefinition(
                """
                INSERT INTO reconciliation_reports (id, kind, created_at, evaluated_at, verdict, shortfall_usd, canonical, prev_hash, hash, scheduled_for)
                VALUES (@id, @Kind, @CreatedAt, @EvaluatedAt, @Verdict, @ShortfallUsd, @Canonical, @previousHash, @hash, @key)
                """,
                new
                {
                    id,
                    report.Kind,
                    CreatedAt = PostgresSupplyStore.Utc(report.CreatedAt),
                    EvaluatedAt = PostgresSupplyStore.Utc(report.EvaluatedAt),
                    report.Verdict,
                    report.ShortfallUsd,
                    report.Canonical,
                    previousHash,
                    hash,
                    key = PostgresSupplyStore.Utc(scheduledFor),
                },
                transaction,
                cancellationToken: cancellationToken));
            return id;
        }
    }

    private sealed class PruneRow
    {
        public long Id { get; init; }
        public string Hash { get; init; } = "";
    }

    private sealed class ReportRow : StoredReportRow
    {
        public DateTime CreatedAt { get; init; }
        public DateTime EvaluatedAt { get; init; }

        protected override (DateTimeOffset CreatedAt, DateTimeOffset EvaluatedAt) ReadTimes() => (PostgresSupplyStore.Time(CreatedAt), PostgresSupplyStore.Time(EvaluatedAt));
    }
}
