using System.Numerics;
using Dapper;
using Usd1Reconciler.Core.Networks;
using Usd1Reconciler.Core.Supply;

namespace Usd1Reconciler.Storage.Postgres;

public sealed partial class PostgresSupplyStore
{
    internal const string EventColumns =
        "e.id AS RowId, e.kind AS Kind, e.block_number AS BlockNumber, e.block_hash AS BlockHash, e.tx_id AS TxId, e.position AS Position, " +
        "e.sub_position AS SubPosition, e.actor AS Actor, e.holder AS Holder, e.amount::text AS Amount, e.block_time AS BlockTime, e.is_final AS IsFinal";

    public async Task<IReadOnlyList<SupplyEvent>> GetProvisionalEventsAsync(long networkId, long upToBlock, CancellationToken cancellationToken)
    {
        await using var connection = await OpenConnectionAsync(cancellationToken);
        var rows = await connection.QueryAsync<PostgresEventRow>(new CommandDefinition(
            $"""
            SELECT {EventColumns} FROM supply_events e
            WHERE e.network_id = @networkId AND NOT e.is_final AND e.block_number <= @upToBlock
            ORDER BY e.block_number, e.tx_id, e.position, e.sub_position
            """,
            new { networkId, upToBlock },
            cancellationToken: cancellationToken));
        return rows.Select(r => r.ToEvent()).ToList();
    }

    public async Task<IReadOnlyList<(SupplyEvent Event, bool IsFinal)>> GetEventsAsync(long networkId, CancellationToken cancellationToken)
    {
        await using var connection = await OpenConnectionAsync(cancellationToken);
        var rows = await connection.QueryAsync<PostgresEventRow>(new CommandDefinition(
            $"SELECT {EventColumns} FROM supply_events e WHERE e.network_id = @networkId ORDER BY e.block_number, e.position, e.sub_position, e.tx_id",
            new { networkId },
            cancellationToken: cancellationToken));
        return rows.Select(r => (r.ToEvent(), r.IsFinal)).ToList();
    }

    /// <summary>numeric's own SUM is exact (no floating point), so the database sums and only the result is parsed.</summary>
    public async Task<BigInteger> GetFinalSupplyAtAsync(long networkId, long block, CancellationToken cancellationToken)
    {
        await using var connection = await OpenConnectionAsync(cancellationToken);
        var sum = await connection.ExecuteScalarAsync<string>(new CommandDefinition(
            """
            SELECT COALESCE(SUM(CASE WHEN kind = 'mint' THEN amount ELSE -amount END), 0)::text
            FROM supply_events WHERE network_id = @networkId AND is_final AND block_number <= @block
            """,
            new { networkId, block },
            cancellationToken: cancellationToken));
        return ParseSum(sum!);
    }

    public async Task<IReadOnlyList<NetworkSupply>> GetSupplyAsync(CancellationToken cancellationToken)
    {
        await using var connection = await OpenConnectionAsync(cancellationToken);

        // One snapshot for every figure of every network: a batch committing meanwhile is either all in or all out.
        await using var transaction = await connection.BeginTransactionAsync(System.Data.IsolationLevel.RepeatableRead, cancellationToken);
        var networks = (await connection.QueryAsync<SupplyRow>(new CommandDefinition(
            """
            SELECT n.id AS NetworkId, n.name AS Name, n.kind AS Kind,
                   t.final_block AS FinalBlock, t.minted::text AS Minted, t.burned::text AS Burned, t.mints AS Mints, t.burns AS Burns,
                   c.tip_number AS TipNumber, c.indexed_at AS IndexedAt,
                   (SELECT COUNT(*) FROM reorgs r WHERE r.network_id = n.id) AS Reorgs,
                   n.failing_since AS FailingSince, n.failing_reason AS FailingReason,
                   n.token_decimals AS TokenDecimals, n.token_symbol AS TokenSymbol, n.token_identity_mismatch AS TokenIdentityMismatch,
                   (SELECT COALESCE(SUM(e.amount), 0)::text FROM supply_events e WHERE e.network_id = n.id AND NOT e.is_final AND e.kind = 'mint') AS ProvisionalMinted,
                   (SELECT COALESCE(SUM(e.amount), 0)::text FROM supply_events e WHERE e.network_id = n.id AND NOT e.is_final AND e.kind = 'burn') AS ProvisionalBurned,
                   p.block_number AS ProofBlock, p.onchain_supply::text AS ProofOnchain, p.indexed_supply::text AS ProofIndexed, p.checked_at AS ProofCheckedAt
            FROM networks n
            JOIN supply_totals t ON t.network_id = n.id
            LEFT JOIN cursors c ON c.network_id = n.id
            LEFT JOIN LATERAL (SELECT * FROM ledger_proofs l WHERE l.network_id = n.id ORDER BY l.id DESC LIMIT 1) p ON true
            ORDER BY n.id
            """,
            transaction: transaction,
            cancellationToken: cancellationToken))).ToList();
        await transaction.CommitAsync(cancellationToken);

        return networks.Select(n => new NetworkSupply(
                n.NetworkId,
                n.Name,
                ParseKind(n.Kind),
                ParseSum(n.Minted),
                ParseSum(n.Burned),
                n.Mints,
                n.Burns,
                ParseSum(n.ProvisionalMinted),
                ParseSum(n.ProvisionalBurned),
                n.FinalBlock,
                n.TipNumber ?? -1,
                Time(n.IndexedAt),
                n.Reorgs,
                n.ProofBlock is { } proofBlock
                    ? new LedgerProofReading(n.NetworkId, proofBlock, ParseAmount(n.ProofOnchain!), ParseSum(n.ProofIndexed!), Time(n.ProofCheckedAt!.Value))
                    : null)
            {
                FailingSince = Time(n.FailingSince),
                FailingReason = n.FailingReason,
                Token = n.TokenDecimals is { } decimals ? new TokenIdentity(decimals, n.TokenSymbol) : null,
                TokenIdentityMismatch = n.TokenIdentityMismatch,
            })
            .ToList();
    }

    // The newest timed event by block number through the block-led key (migration 0054), not MAX(block_time) over every event of
    // the network: this runs on every metrics refresh (see SqliteSupplyStore.GetNewestBlockTimeAsync).
    public async Task<DateTimeOffset?> GetNewestBlockTimeAsync(long networkId, CancellationToken cancellationToken)
    {
        await using var connection = await OpenConnectionAsync(cancellationToken);
        var newest = await connection.ExecuteScalarAsync<DateTime?>(new CommandDefinition(
            """
            SELECT GREATEST(
                (SELECT MAX(timestamp) FROM blocks WHERE network_id = @networkId),
                (SELECT block_time FROM supply_events WHERE network_id = @networkId AND block_time IS NOT NULL
                 ORDER BY block_number DESC LIMIT 1))
            """,
            new { networkId },
            cancellationToken: cancellationToken));
        return Time(newest);
    }

    private sealed class SupplyRow
    {
        public long NetworkId { get; init; }
        public string Name { get; init; } = "";
        public string Kind { get; init; } = "";
        public long FinalBlock { get; init; }
        public string Minted { get; init; } = "";
        public string Burned { get; init; } = "";
        public long Mints { get; init; }
        public long Burns { get; init; }
        public long? TipNumber { get; init; }
        public DateTime? IndexedAt { get; init; }
        public long Reorgs { get; init; }
        public DateTime? FailingSince { get; init; }
        public string? FailingReason { get; init; }
        public int? TokenDecimals { get; init; }
        public string? TokenSymbol { get; init; }
        public string? TokenIdentityMismatch { get; init; }
        public string ProvisionalMinted { get; init; } = "0";
        public string ProvisionalBurned { get; init; } = "0";
        public long? ProofBlock { get; init; }
        public string? ProofOnchain { get; init; }
        public string? ProofIndexed { get; init; }
        public DateTime? ProofCheckedAt { get; init; }
    }
}
