using Dapper;
using Npgsql;
using Usd1Reconciler.Core.Reconciliation;

namespace Usd1Reconciler.Storage.Postgres;

public sealed partial class PostgresReconciliationStore
{
    private const string ReportColumns =
        "id AS Id, kind AS Kind, created_at AS CreatedAt, evaluated_at AS EvaluatedAt, verdict AS Verdict, shortfall_usd AS ShortfallUsd, " +
        "canonical AS Canonical, prev_hash AS PreviousHash, hash AS Hash";

    // The report kind of `reconcile --at`: judged at a past as-of time, so never the current conclusive result.
    private const string PointInTimeKind = "point_in_time";

    private const string ConclusiveCurrent = "verdict IN ('covered', 'undercollateralized') AND kind <> @pointInTime";

    /// <summary>
    /// EXCLUSIVE mode conflicts with itself and with every write, not with reads: appends (and prunes) from all
    /// instances run one after the other, each linking to the hash the previous one committed, while `report` and the
    /// status page keep reading. The id is the next one after the newest (or after the pruned ones), so ids stay 1, 2, 3 …
    /// </summary>
    public async Task<StoredReport> AppendReportAsync(
        string kind, DateTimeOffset createdAt, DateTimeOffset evaluatedAt, string verdict, string shortfallUsd, string canonical, CancellationToken cancellationToken) =>
        (await AppendAsync(kind, scheduledFor: null, createdAt, evaluatedAt, verdict, shortfallUsd, canonical, cancellationToken)).Report;

    public Task<(StoredReport Report, bool Appended)> AppendScheduledReportAsync(
        string kind, DateTimeOffset scheduledFor, DateTimeOffset createdAt, DateTimeOffset evaluatedAt, string verdict, string shortfallUsd, string canonical, CancellationToken cancellationToken) =>
        AppendAsync(kind, scheduledFor, createdAt, evaluatedAt, verdict, shortfallUsd, canonical, cancellationToken);

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
    private async Task<(StoredReport Report, bool Appended)> AppendAsync(
        string kind, DateTimeOffset? scheduledFor, DateTimeOffset createdAt, DateTimeOffset evaluatedAt, string verdict, string shortfallUsd, string canonical, CancellationToken cancellationToken)
    {
        await using var connection = await supplyStore.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await LockChainAsync(connection, transaction, cancellationToken);
        DateTime? key = scheduledFor is { } firing ? PostgresSupplyStore.Utc(firing) : null;
        if (key is not null)
        {
            var existing = await connection.QuerySingleOrDefaultAsync<ReportRow>(new CommandDefinition(
                $"SELECT {ReportColumns} FROM reconciliation_reports WHERE kind = @kind AND scheduled_for = @key",
                new { kind, key },
                transaction,
                cancellationToken: cancellationToken));
            if (existing is not null)
            {
                await transaction.RollbackAsync(cancellationToken);
                return (existing.ToReport(), false);
            }
        }

        var newest = await connection.QuerySingleOrDefaultAsync<PruneRow>(new CommandDefinition(
            "SELECT id AS Id, hash AS Hash FROM reconciliation_reports ORDER BY id DESC LIMIT 1", transaction: transaction, cancellationToken: cancellationToken));
        var anchor = await AnchorAsync(connection, transaction, cancellationToken);
        var previous = newest?.Hash ?? anchor.Hash;
        var id = (newest?.Id ?? anchor.PrunedThrough) + 1;
        var hash = ReportChain.Hash(previous, canonical);
        await connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO reconciliation_reports (id, kind, created_at, evaluated_at, verdict, shortfall_usd, canonical, prev_hash, hash, scheduled_for)
            VALUES (@id, @kind, @CreatedAt, @EvaluatedAt, @verdict, @shortfallUsd, @canonical, @previous, @hash, @key)
            """,
            new
            {
                id,
                kind,
                CreatedAt = PostgresSupplyStore.Utc(createdAt),
                EvaluatedAt = PostgresSupplyStore.Utc(evaluatedAt),
                verdict,
                shortfallUsd,
                canonical,
                previous,
                hash,
                key,
            },
            transaction,
            cancellationToken: cancellationToken));
        await transaction.CommitAsync(cancellationToken);
        return (new StoredReport(id, kind, createdAt, evaluatedAt, verdict, shortfallUsd, canonical, previous, hash), true);
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
        return new ReportChainHead(anchor.PrunedThrough + stored, anchor.PrunedThrough, head);
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

    private static async Task<(long PrunedThrough, string Hash)> AnchorAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, CancellationToken cancellationToken)
    {
        var row = await connection.QuerySingleOrDefaultAsync<PruneRow>(new CommandDefinition(
            "SELECT pruned_through AS Id, hash AS Hash FROM report_chain_anchor WHERE id = 1", transaction: transaction, cancellationToken: cancellationToken));
        return row is null ? (0, ReportChain.GenesisHash) : (row.Id, row.Hash);
    }

    private sealed class PruneRow
    {
        public long Id { get; init; }
        public string Hash { get; init; } = "";
    }

    private sealed class ReportRow
    {
        public long Id { get; init; }
        public string Kind { get; init; } = "";
        public DateTime CreatedAt { get; init; }
        public DateTime EvaluatedAt { get; init; }
        public string Verdict { get; init; } = "";
        public string ShortfallUsd { get; init; } = "";
        public string Canonical { get; init; } = "";
        public string PreviousHash { get; init; } = "";
        public string Hash { get; init; } = "";

        public StoredReport ToReport() => new(
            Id, Kind, PostgresSupplyStore.Time(CreatedAt), PostgresSupplyStore.Time(EvaluatedAt), Verdict, ShortfallUsd, Canonical, PreviousHash, Hash);
    }
}
