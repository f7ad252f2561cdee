using Dapper;
using Usd1Reconciler.Core.Reserves;

namespace Usd1Reconciler.Storage.Postgres;

/// <summary>
/// Reserve snapshots, feed rejections and the hash-chained report log in the PostgreSQL store (migration 0001).
/// Appending a report locks the report table against other appends before it reads the newest hash, so instances
/// appending at once queue instead of both linking to the same predecessor; readers are never blocked.
/// </summary>
public sealed partial class PostgresReconciliationStore(PostgresSupplyStore supplyStore) : IReconciliationStore
{
    public Task<ReserveSnapshot?> GetLatestSnapshotAsync(string feed, CancellationToken cancellationToken) =>
        ReadSnapshotAsync(feed, null, cancellationToken);

    public Task<ReserveSnapshot?> GetSnapshotAtAsync(string feed, DateTimeOffset asOf, CancellationToken cancellationToken) =>
        ReadSnapshotAsync(feed, asOf, cancellationToken);

    private async Task<ReserveSnapshot?> ReadSnapshotAsync(string feed, DateTimeOffset? atOrBefore, CancellationToken cancellationToken)
    {
        await using var connection = await supplyStore.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(System.Data.IsolationLevel.RepeatableRead, cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<SnapshotRow>(new CommandDefinition(
            $"SELECT {SnapshotColumns} FROM reserve_snapshots WHERE feed = @feed AND (CAST(@limit AS timestamptz) IS NULL OR as_of <= @limit) ORDER BY as_of DESC, id DESC LIMIT 1",
            new { feed, limit = PostgresSupplyStore.Utc(atOrBefore) },
            transaction,
            cancellationToken: cancellationToken));
        if (row is null)
        {
            return null;
        }

        var accounts = await connection.QueryAsync<ReserveAccountRow>(new CommandDefinition(
            """
            SELECT account_id AS AccountId, asset_class AS AssetClass, currency AS Currency, amount_usd::text AS Amount, bank AS Bank,
                   days_to_liquidity AS DaysToLiquidity
            FROM reserve_accounts WHERE snapshot_id = @Id ORDER BY position
            """,
            new { row.Id },
            transaction,
            cancellationToken: cancellationToken));
        await transaction.CommitAsync(cancellationToken);
        return row.ToSnapshot(accounts);
    }

    public async Task<long> RecordSnapshotAsync(ReserveSnapshot snapshot, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        await using var connection = await supplyStore.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var id = await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            """
            INSERT INTO reserve_snapshots (feed, custodian, as_of, received_at, attestation, content_sha256, signature, total_usd)
            VALUES (@Feed, @Custodian, @AsOf, @ReceivedAt, @Attestation, @ContentSha256, @Signature, CAST(@Total AS numeric))
            RETURNING id
            """,
            new
            {
                snapshot.Feed,
                snapshot.Custodian,
                AsOf = PostgresSupplyStore.Utc(snapshot.AsOf),
                ReceivedAt = PostgresSupplyStore.Utc(snapshot.ReceivedAt),
                snapshot.Attestation,
                snapshot.ContentSha256,
                snapshot.Signature,
                Total = snapshot.Total.ToString(),
            },
            transaction,
            cancellationToken: cancellationToken));
        if (snapshot.Accounts.Count > 0)
        {
            var accounts = snapshot.Accounts;
            await connection.ExecuteAsync(new CommandDefinition(
                """
                INSERT INTO reserve_accounts (snapshot_id, account_id, asset_class, currency, amount_usd, bank, days_to_liquidity, position)
                SELECT @id, a.account_id, a.asset_class, a.currency, CAST(a.amount AS numeric), a.bank, a.days, a.position - 1
                FROM unnest(@AccountIds, @AssetClasses, @Currencies, @Amounts, @Banks, @Days) WITH ORDINALITY AS a (account_id, asset_class, currency, amount, bank, days, position)
                """,
                new
                {
                    id,
                    AccountIds = accounts.Select(a => a.AccountId).ToArray(),
                    AssetClasses = accounts.Select(a => AssetClassNames.ToWire(a.AssetClass)).ToArray(),
                    Currencies = accounts.Select(a => a.Currency).ToArray(),
                    Amounts = accounts.Select(a => a.Amount.ToString()).ToArray(),
                    Banks = accounts.Select(a => a.Bank).ToArray(),
                    Days = accounts.Select(a => a.DaysToLiquidity).ToArray(),
                },
                transaction,
                cancellationToken: cancellationToken));
        }

        await transaction.CommitAsync(cancellationToken);
        return id;
    }

    public async Task RecordRejectionAsync(FeedRejection rejection, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(rejection);
        await using var connection = await supplyStore.OpenConnectionAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            "INSERT INTO reserve_rejections (feed, received_at, reason, content_sha256, body) VALUES (@Feed, @At, @Reason, @ContentSha256, @Body)",
            new { rejection.Feed, At = PostgresSupplyStore.Utc(rejection.ReceivedAt), rejection.Reason, rejection.ContentSha256, rejection.Body },
            cancellationToken: cancellationToken));
    }

    public async Task<IReadOnlyList<FeedRejection>> GetRejectionsAsync(string feed, int limit, CancellationToken cancellationToken)
    {
        await using var connection = await supplyStore.OpenConnectionAsync(cancellationToken);
        var rows = await connection.QueryAsync<RejectionRow>(new CommandDefinition(
            """
            SELECT feed AS Feed, received_at AS ReceivedAt, reason AS Reason, content_sha256 AS ContentSha256, body AS Body
            FROM reserve_rejections WHERE feed = @feed ORDER BY id DESC LIMIT @limit
            """,
            new { feed, limit },
            cancellationToken: cancellationToken));
        return rows.Select(r => new FeedRejection(r.Feed, PostgresSupplyStore.Time(r.ReceivedAt), r.Reason, r.ContentSha256, r.Body)).ToList();
    }

    public async Task<int> PruneRejectionsAsync(DateTimeOffset before, CancellationToken cancellationToken)
    {
        await using var connection = await supplyStore.OpenConnectionAsync(cancellationToken);
        return await connection.ExecuteAsync(new CommandDefinition(
            "DELETE FROM reserve_rejections WHERE received_at < @before",
            new { before = PostgresSupplyStore.Utc(before) },
            cancellationToken: cancellationToken));
    }

    private const string SnapshotColumns = ReserveSnapshotRow.Columns;

    private sealed class SnapshotRow : ReserveSnapshotRow
    {
        public DateTime AsOf { get; init; }
        public DateTime ReceivedAt { get; init; }

        protected override (DateTimeOffset AsOf, DateTimeOffset ReceivedAt) ReadTimes() => (PostgresSupplyStore.Time(AsOf), PostgresSupplyStore.Time(ReceivedAt));
    }

    private sealed class RejectionRow
    {
        public string Feed { get; init; } = "";
        public DateTime ReceivedAt { get; init; }
        public string Reason { get; init; } = "";
        public string? ContentSha256 { get; init; }
        public byte[] Body { get; init; } = [];
    }
}
