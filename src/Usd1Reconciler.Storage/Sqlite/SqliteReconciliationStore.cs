using Dapper;
using Usd1Reconciler.Core.Reserves;

namespace Usd1Reconciler.Storage.Sqlite;

/// <summary>
/// Reserve snapshots, feed rejections and the hash-chained report log, in the same SQLite file as the supply store
/// (migration 0002). Appending a report takes SQLite's write lock before reading the newest hash (BEGIN IMMEDIATE),
/// so two processes appending at once queue instead of both linking to the same predecessor.
/// </summary>
public sealed partial class SqliteReconciliationStore(SqliteSupplyStore supplyStore) : IReconciliationStore
{
    public Task<ReserveSnapshot?> GetLatestSnapshotAsync(string feed, CancellationToken cancellationToken) =>
        ReadSnapshotAsync(feed, null, cancellationToken);

    public Task<ReserveSnapshot?> GetSnapshotAtAsync(string feed, DateTimeOffset asOf, CancellationToken cancellationToken) =>
        ReadSnapshotAsync(feed, asOf, cancellationToken);

    // as_of is fixed-width ISO-8601 UTC text, so text order is time order.
    private async Task<ReserveSnapshot?> ReadSnapshotAsync(string feed, DateTimeOffset? atOrBefore, CancellationToken cancellationToken)
    {
        await using var connection = supplyStore.OpenConnection();
        var row = await connection.QuerySingleOrDefaultAsync<SnapshotRow>(new CommandDefinition(
            $"SELECT {SnapshotColumns} FROM reserve_snapshots WHERE feed = @feed AND (@limit IS NULL OR as_of <= @limit) ORDER BY as_of DESC, id DESC LIMIT 1",
            new { feed, limit = atOrBefore is { } t ? SqliteSupplyStore.Text(t) : null },
            cancellationToken: cancellationToken));
        if (row is null)
        {
            return null;
        }

        var accounts = await connection.QueryAsync<ReserveAccountRow>(new CommandDefinition(
            """
            SELECT account_id AS AccountId, asset_class AS AssetClass, currency AS Currency, amount_usd AS Amount, bank AS Bank,
                   days_to_liquidity AS DaysToLiquidity
            FROM reserve_accounts WHERE snapshot_id = @Id ORDER BY position
            """,
            new { row.Id },
            cancellationToken: cancellationToken));
        return row.ToSnapshot(accounts);
    }

    public async Task<long> RecordSnapshotAsync(ReserveSnapshot snapshot, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        await using var connection = supplyStore.OpenConnection();
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var id = await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            """
            INSERT INTO reserve_snapshots (feed, custodian, as_of, received_at, attestation, content_sha256, signature, total_usd)
            VALUES (@Feed, @Custodian, @AsOf, @ReceivedAt, @Attestation, @ContentSha256, @Signature, @Total);
            SELECT last_insert_rowid();
            """,
            new
            {
                snapshot.Feed,
                snapshot.Custodian,
                AsOf = SqliteSupplyStore.Text(snapshot.AsOf),
                ReceivedAt = SqliteSupplyStore.Text(snapshot.ReceivedAt),
                snapshot.Attestation,
                snapshot.ContentSha256,
                snapshot.Signature,
                Total = snapshot.Total.ToString(),
            },
            transaction,
            cancellationToken: cancellationToken));
        var position = 0;
        foreach (var account in snapshot.Accounts)
        {
            await connection.ExecuteAsync(new CommandDefinition(
                """
                INSERT INTO reserve_accounts (snapshot_id, account_id, asset_class, currency, amount_usd, bank, days_to_liquidity, position)
                VALUES (@id, @AccountId, @AssetClass, @Currency, @Amount, @Bank, @DaysToLiquidity, @position)
                """,
                new
                {
                    id,
                    account.AccountId,
                    AssetClass = AssetClassNames.ToWire(account.AssetClass),
                    account.Currency,
                    Amount = account.Amount.ToString(),
                    account.Bank,
                    account.DaysToLiquidity,
                    position = position++,
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
        await using var connection = supplyStore.OpenConnection();
        await connection.ExecuteAsync(new CommandDefinition(
            "INSERT INTO reserve_rejections (feed, received_at, reason, content_sha256, body) VALUES (@Feed, @At, @Reason, @ContentSha256, @Body)",
            new { rejection.Feed, At = SqliteSupplyStore.Text(rejection.ReceivedAt), rejection.Reason, rejection.ContentSha256, rejection.Body },
            cancellationToken: cancellationToken));
    }

    public async Task<IReadOnlyList<FeedRejection>> GetRejectionsAsync(string feed, int limit, CancellationToken cancellationToken)
    {
        await using var connection = supplyStore.OpenConnection();
        var rows = await connection.QueryAsync<RejectionRow>(new CommandDefinition(
            """
            SELECT feed AS Feed, received_at AS ReceivedAt, reason AS Reason, content_sha256 AS ContentSha256, body AS Body
            FROM reserve_rejections WHERE feed = @feed ORDER BY id DESC LIMIT @limit
            """,
            new { feed, limit },
            cancellationToken: cancellationToken));
        return rows.Select(r => new FeedRejection(r.Feed, SqliteSupplyStore.ParseTime(r.ReceivedAt), r.Reason, r.ContentSha256, r.Body)).ToList();
    }

    public async Task<int> PruneRejectionsAsync(DateTimeOffset before, CancellationToken cancellationToken)
    {
        await using var connection = supplyStore.OpenConnection();
        return await connection.ExecuteAsync(new CommandDefinition(
            "DELETE FROM reserve_rejections WHERE received_at < @before",
            new { before = SqliteSupplyStore.Text(before) },
            cancellationToken: cancellationToken));
    }

    private const string SnapshotColumns = ReserveSnapshotRow.Columns;

    private sealed class SnapshotRow : ReserveSnapshotRow
    {
        public string AsOf { get; init; } = "";
        public string ReceivedAt { get; init; } = "";

        protected override (DateTimeOffset AsOf, DateTimeOffset ReceivedAt) ReadTimes() => (SqliteSupplyStore.ParseTime(AsOf), SqliteSupplyStore.ParseTime(ReceivedAt));
    }

    private sealed class RejectionRow
    {
        public string Feed { get; init; } = "";
        public string ReceivedAt { get; init; } = "";
        public string Reason { get; init; } = "";
        public string? ContentSha256 { get; init; }
        public byte[] Body { get; init; } = [];
    }
}
