using System.Numerics;
using System.Text.Json;
using Dapper;
using Microsoft.Data.Sqlite;
using Usd1Reconciler.Core.Ingest;
using Usd1Reconciler.Core.Supply;

namespace Usd1Reconciler.Storage.Sqlite;

public sealed partial class SqliteSupplyStore
{
    public async Task CommitBatchAsync(IndexedBatch batch, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(batch);
        await using var connection = OpenConnection();
        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken);

        // One prepared command reused for every row: the hot path of a backfill.
        await using (var insert = connection.CreateCommand())
        {
            insert.Transaction = transaction;
            insert.CommandText =
                """
                INSERT INTO supply_events (network_id, tx_id, position, sub_position, kind, block_number, block_hash, actor, holder, amount, block_time, is_final)
                VALUES ($network, $tx, $position, $sub, $kind, $block, $hash, $actor, $holder, $amount, $time, 0)
                """;
            var network = insert.Parameters.Add("$network", SqliteType.Integer);
            var tx = insert.Parameters.Add("$tx", SqliteType.Text);
            var position = insert.Parameters.Add("$position", SqliteType.Integer);
            var sub = insert.Parameters.Add("$sub", SqliteType.Integer);
            var kind = insert.Parameters.Add("$kind", SqliteType.Text);
            var block = insert.Parameters.Add("$block", SqliteType.Integer);
            var hash = insert.Parameters.Add("$hash", SqliteType.Text);
            var actor = insert.Parameters.Add("$actor", SqliteType.Text);
            var holder = insert.Parameters.Add("$holder", SqliteType.Text);
            var amount = insert.Parameters.Add("$amount", SqliteType.Text);
            var time = insert.Parameters.Add("$time", SqliteType.Text);
            network.Value = batch.NetworkId;
            insert.Prepare();
            foreach (var e in batch.Events)
            {
                tx.Value = e.TransactionId;
                position.Value = e.Position;
                sub.Value = e.SubPosition;
                kind.Value = KindText(e.Kind);
                block.Value = e.BlockNumber;
                hash.Value = e.BlockHash;
                actor.Value = (object?)e.Actor ?? DBNull.Value;
                holder.Value = e.Holder;
                amount.Value = e.Amount.ToString();
                time.Value = e.BlockTime is { } t ? Text(t) : DBNull.Value;
                await insert.ExecuteNonQueryAsync(cancellationToken);
            }
        }

        foreach (var header in batch.UnfinalizedBlocks)
        {
            await connection.ExecuteAsync(new CommandDefinition(
                "INSERT INTO blocks (network_id, number, hash, parent_hash, timestamp) VALUES (@NetworkId, @Number, @Hash, @ParentHash, @Timestamp)",
                new { batch.NetworkId, header.Number, header.Hash, header.ParentHash, Timestamp = Text(header.Timestamp) },
                transaction,
                cancellationToken: cancellationToken));
        }

        await connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO cursors (network_id, tip_number, tip_id, indexed_at) VALUES (@NetworkId, @Number, @Id, @At)
            ON CONFLICT (network_id) DO UPDATE SET tip_number = excluded.tip_number, tip_id = excluded.tip_id, indexed_at = excluded.indexed_at
            """,
            new { batch.NetworkId, batch.NewTip.Number, batch.NewTip.Id, At = Text(batch.IndexedAt) },
            transaction,
            cancellationToken: cancellationToken));

        await transaction.CommitAsync(cancellationToken);
    }

    public async Task<int> RollBackAsync(ChainReorganization reorganization, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(reorganization);
        var r = reorganization;
        await using var connection = OpenConnection();
        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken);

        var bySignature = r.RemovedTransactions.Count > 0;
        var finalTouched = bySignature
            ? await connection.ExecuteScalarAsync<long>(new CommandDefinition(
                "SELECT COUNT(*) FROM supply_events WHERE network_id = @NetworkId AND is_final = 1 AND tx_id IN @RemovedTransactions",
                new { r.NetworkId, r.RemovedTransactions }, transaction, cancellationToken: cancellationToken))
            : await connection.ExecuteScalarAsync<long>(new CommandDefinition(
                "SELECT COUNT(*) FROM supply_events WHERE network_id = @NetworkId AND is_final = 1 AND block_number > @CommonAncestor",
                new { r.NetworkId, r.CommonAncestor }, transaction, cancellationToken: cancellationToken));
        if (finalTouched > 0)
        {
            // The indexer refuses such reorgs before it gets here; this guard keeps the store honest on its own.
            throw new InvalidOperationException(
                $"rollback on network {r.NetworkId} would remove {finalTouched} final events; final history is never rewritten");
        }

        var removed = bySignature
            ? await connection.ExecuteAsync(new CommandDefinition(
                "DELETE FROM supply_events WHERE network_id = @NetworkId AND is_final = 0 AND tx_id IN @RemovedTransactions",
                new { r.NetworkId, r.RemovedTransactions }, transaction, cancellationToken: cancellationToken))
            : await connection.ExecuteAsync(new CommandDefinition(
                "DELETE FROM supply_events WHERE network_id = @NetworkId AND block_number > @CommonAncestor",
                new { r.NetworkId, r.CommonAncestor }, transaction, cancellationToken: cancellationToken));

        await connection.ExecuteAsync(new CommandDefinition(
            "DELETE FROM blocks WHERE network_id = @NetworkId AND number > @CommonAncestor",
            new { r.NetworkId, r.CommonAncestor }, transaction, cancellationToken: cancellationToken));
        await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE cursors SET tip_number = @CommonAncestor, tip_id = @CommonAncestorId, indexed_at = @At WHERE network_id = @NetworkId",
            new { r.NetworkId, r.CommonAncestor, r.CommonAncestorId, At = Text(r.DetectedAt) }, transaction, cancellationToken: cancellationToken));
        await connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO reorgs (network_id, detected_at, common_ancestor, common_ancestor_id, depth, old_tip_id, new_tip_id, events_removed, removed_transactions)
            VALUES (@NetworkId, @At, @CommonAncestor, @CommonAncestorId, @Depth, @OldTipId, @NewTipId, @Removed, @Transactions)
            """,
            new
            {
                r.NetworkId,
                At = Text(r.DetectedAt),
                r.CommonAncestor,
                r.CommonAncestorId,
                r.Depth,
                r.OldTipId,
                r.NewTipId,
                Removed = removed,
                Transactions = JsonSerializer.Serialize(r.RemovedTransactions),
            },
            transaction,
            cancellationToken: cancellationToken));

        await transaction.CommitAsync(cancellationToken);
        return removed;
    }

    public async Task FinalizeAsync(long networkId, long finalBlock, DateTimeOffset finalizedAt, CancellationToken cancellationToken)
    {
        await using var connection = OpenConnection();
        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken);
        var totals = await connection.QuerySingleAsync<TotalsRow>(new CommandDefinition(
            "SELECT final_block AS FinalBlock, minted AS Minted, burned AS Burned, mints AS Mints, burns AS Burns FROM supply_totals WHERE network_id = @networkId",
            new { networkId }, transaction, cancellationToken: cancellationToken));
        if (finalBlock <= totals.FinalBlock)
        {
            return;
        }

        var minted = ParseSum(totals.Minted);
        var burned = ParseSum(totals.Burned);
        long mints = totals.Mints, burns = totals.Burns;
        var newlyFinal = await connection.QueryAsync<(string Kind, string Amount)>(new CommandDefinition(
            "SELECT kind, amount FROM supply_events WHERE network_id = @networkId AND is_final = 0 AND block_number <= @finalBlock",
            new { networkId, finalBlock }, transaction, cancellationToken: cancellationToken));
        foreach (var (kind, amount) in newlyFinal)
        {
            var value = ParseAmount(amount).Value;
            if (kind == "mint")
            {
                minted += value;
                mints++;
            }
            else
            {
                burned += value;
                burns++;
            }
        }

        await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE supply_events SET is_final = 1 WHERE network_id = @networkId AND is_final = 0 AND block_number <= @finalBlock",
            new { networkId, finalBlock }, transaction, cancellationToken: cancellationToken));
        await connection.ExecuteAsync(new CommandDefinition(
            """
            UPDATE supply_totals SET final_block = @finalBlock, minted = @Minted, burned = @Burned, mints = @mints, burns = @burns, finalized_at = @At
            WHERE network_id = @networkId
            """,
            new { networkId, finalBlock, Minted = SumText(minted), Burned = SumText(burned), mints, burns, At = Text(finalizedAt) },
            transaction, cancellationToken: cancellationToken));

        // Keep the newest final header as the anchor the next reorg check links to; older ones are history.
        await connection.ExecuteAsync(new CommandDefinition(
            "DELETE FROM blocks WHERE network_id = @networkId AND number < (SELECT MAX(number) FROM blocks WHERE network_id = @networkId AND number <= @finalBlock)",
            new { networkId, finalBlock }, transaction, cancellationToken: cancellationToken));
        await transaction.CommitAsync(cancellationToken);
    }

    public async Task RecordLedgerProofAsync(LedgerProofReading reading, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(reading);
        await using var connection = OpenConnection();
        await connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO ledger_proofs (network_id, block_number, onchain_supply, indexed_supply, status, checked_at)
            VALUES (@NetworkId, @BlockNumber, @Onchain, @Indexed, @Status, @At)
            """,
            new
            {
                reading.NetworkId,
                reading.BlockNumber,
                Onchain = reading.OnchainSupply.ToString(),
                Indexed = SumText(reading.IndexedSupply),
                Status = reading.Compare() == LedgerProofStatus.Ok ? "ok" : "mismatch",
                At = Text(reading.CheckedAt),
            },
            cancellationToken: cancellationToken));
    }

    private sealed class TotalsRow
    {
        public long FinalBlock { get; init; }
        public string Minted { get; init; } = "";
        public string Burned { get; init; } = "";
        public long Mints { get; init; }
        public long Burns { get; init; }
    }

    internal static BigInteger Signed(string kind, string amount) =>
        kind == "mint" ? ParseAmount(amount).Value : -ParseAmount(amount).Value;
}
