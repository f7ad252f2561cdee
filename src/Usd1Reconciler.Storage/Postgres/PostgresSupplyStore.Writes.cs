using System.Text.Json;
using Dapper;
using Npgsql;
using NpgsqlTypes;
using Usd1Reconciler.Core.Ingest;
using Usd1Reconciler.Core.Supply;

namespace Usd1Reconciler.Storage.Postgres;

public sealed partial class PostgresSupplyStore
{
    // The events of a batch go in by binary COPY, final or not: one round trip and no per-row statement, which is what
    // keeps a backfill of final ranges at tens of thousands of events a second (bench store-postgres). COPY runs inside
    // the batch's transaction, so a duplicate event key fails the whole batch, cursor included, as an INSERT would.
    private const string EventCopy =
        "COPY supply_events (network_id, tx_id, position, sub_position, kind, block_number, block_hash, actor, holder, amount, block_time, is_final) FROM STDIN (FORMAT BINARY)";

    public async Task CommitBatchAsync(IndexedBatch batch, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(batch);
        await using var connection = await OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);

        var finalThrough = batch.FinalThrough ?? long.MinValue;
        var folded = FoldedTotals.FinalIn(batch.Events, finalThrough);
        if (batch.Events.Count > 0)
        {
            await CopyEventsAsync(connection, batch.NetworkId, batch.Events, finalThrough, cancellationToken);
        }

        if (batch.UnfinalizedBlocks.Count > 0)
        {
            await connection.ExecuteAsync(new CommandDefinition(
                """
                INSERT INTO blocks (network_id, number, hash, parent_hash, timestamp)
                SELECT @NetworkId, b.number, b.hash, b.parent_hash, b.ts
                FROM unnest(@Numbers, @Hashes, @Parents, @Times) AS b (number, hash, parent_hash, ts)
                """,
                new
                {
                    batch.NetworkId,
                    Numbers = batch.UnfinalizedBlocks.Select(h => h.Number).ToArray(),
                    Hashes = batch.UnfinalizedBlocks.Select(h => h.Hash).ToArray(),
                    Parents = batch.UnfinalizedBlocks.Select(h => h.ParentHash).ToArray(),
                    Times = batch.UnfinalizedBlocks.Select(h => Utc(h.Timestamp)).ToArray(),
                },
                transaction,
                cancellationToken: cancellationToken));
        }

        await InsertGovernanceChangesAsync(connection, transaction, batch.NetworkId, batch.GovernanceChanges, cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO cursors (network_id, tip_number, tip_id, indexed_at) VALUES (@NetworkId, @Number, @Id, @At)
            ON CONFLICT (network_id) DO UPDATE SET tip_number = excluded.tip_number, tip_id = excluded.tip_id, indexed_at = excluded.indexed_at
            """,
            new { batch.NetworkId, batch.NewTip.Number, batch.NewTip.Id, At = Utc(batch.IndexedAt) },
            transaction,
            cancellationToken: cancellationToken));

        if (batch.FinalThrough is { } final)
        {
            await FinalizeInTransactionAsync(connection, transaction, batch.NetworkId, final, batch.IndexedAt, folded, cancellationToken);
        }

        await FenceAsync(connection, transaction, batch.NetworkId, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    private static async Task CopyEventsAsync(NpgsqlConnection connection, long networkId, IReadOnlyList<SupplyEvent> events, long finalThrough, CancellationToken cancellationToken)
    {
        await using var importer = await connection.BeginBinaryImportAsync(EventCopy, cancellationToken);
        foreach (var e in events)
        {
            await importer.StartRowAsync(cancellationToken);
            await importer.WriteAsync(networkId, NpgsqlDbType.Bigint, cancellationToken);
            await importer.WriteAsync(e.TransactionId, NpgsqlDbType.Text, cancellationToken);
            await importer.WriteAsync(e.Position, NpgsqlDbType.Integer, cancellationToken);
            await importer.WriteAsync(e.SubPosition, NpgsqlDbType.Integer, cancellationToken);
            await importer.WriteAsync(e.Kind == SupplyEventKind.Mint ? "mint" : "burn", NpgsqlDbType.Text, cancellationToken);
            await importer.WriteAsync(e.BlockNumber, NpgsqlDbType.Bigint, cancellationToken);
            await importer.WriteAsync(e.BlockHash, NpgsqlDbType.Text, cancellationToken);
            if (e.Actor is null)
            {
                await importer.WriteNullAsync(cancellationToken);
            }
            else
            {
                await importer.WriteAsync(e.Actor, NpgsqlDbType.Text, cancellationToken);
            }

            await importer.WriteAsync(e.Holder, NpgsqlDbType.Text, cancellationToken);

            // BigInteger straight into numeric's binary form: exact, no text and no floating point in between.
            await importer.WriteAsync(e.Amount.Value, NpgsqlDbType.Numeric, cancellationToken);
            if (e.BlockTime is { } time)
            {
                await importer.WriteAsync(Utc(time), NpgsqlDbType.TimestampTz, cancellationToken);
            }
            else
            {
                await importer.WriteNullAsync(cancellationToken);
            }

            await importer.WriteAsync(e.BlockNumber <= finalThrough, NpgsqlDbType.Boolean, cancellationToken);
        }

        await importer.CompleteAsync(cancellationToken);
    }

    // A rollback by signature selects the named signatures' rows at the named slots: a seek per slot through the
    // block-led key (network_id, block_number, ...), never a read of the network's events (see RollbackRemoval).
    internal const string FinalEventsOfRemovedTransactionsSql =
        "SELECT COUNT(*) FROM supply_events WHERE network_id = @NetworkId AND block_number = ANY(@Slots) AND tx_id = ANY(@TransactionIds) AND is_final";

    internal const string DeleteEventsOfRemovedTransactionsSql =
        "DELETE FROM supply_events WHERE network_id = @NetworkId AND block_number = ANY(@Slots) AND tx_id = ANY(@TransactionIds) AND NOT is_final";

    public async Task<int> RollBackAsync(ChainReorganization reorganization, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(reorganization);
        var r = reorganization;
        await using var connection = await OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);

        var removedTransactions = new { r.NetworkId, Slots = RollbackRemoval.Slots(r), TransactionIds = RollbackRemoval.TransactionIds(r) };
        var removed = await RollbackRemoval.RemoveAsync(
            r,
            "final events",
            bySignature => bySignature
                ? connection.ExecuteScalarAsync<long>(new CommandDefinition(
                    FinalEventsOfRemovedTransactionsSql, removedTransactions, transaction, cancellationToken: cancellationToken))
                : connection.ExecuteScalarAsync<long>(new CommandDefinition(
                    "SELECT COUNT(*) FROM supply_events WHERE network_id = @NetworkId AND is_final AND block_number > @CommonAncestor",
                    new { r.NetworkId, r.CommonAncestor }, transaction, cancellationToken: cancellationToken)),
            bySignature => bySignature
                ? connection.ExecuteAsync(new CommandDefinition(
                    DeleteEventsOfRemovedTransactionsSql, removedTransactions, transaction, cancellationToken: cancellationToken))
                : connection.ExecuteAsync(new CommandDefinition(
                    "DELETE FROM supply_events WHERE network_id = @NetworkId AND block_number > @CommonAncestor",
                    new { r.NetworkId, r.CommonAncestor }, transaction, cancellationToken: cancellationToken)));

        await RemoveGovernanceChangesAsync(connection, transaction, r, cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            "DELETE FROM blocks WHERE network_id = @NetworkId AND number > @CommonAncestor",
            new { r.NetworkId, r.CommonAncestor }, transaction, cancellationToken: cancellationToken));
        await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE cursors SET tip_number = @CommonAncestor, tip_id = @CommonAncestorId, indexed_at = @At WHERE network_id = @NetworkId",
            new { r.NetworkId, r.CommonAncestor, r.CommonAncestorId, At = Utc(r.DetectedAt) }, transaction, cancellationToken: cancellationToken));
        await connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO reorgs (network_id, detected_at, common_ancestor, common_ancestor_id, depth, old_tip_id, new_tip_id, events_removed, removed_transactions)
            VALUES (@NetworkId, @At, @CommonAncestor, @CommonAncestorId, @Depth, @OldTipId, @NewTipId, @Removed, CAST(@Transactions AS jsonb))
            """,
            new
            {
                r.NetworkId,
                At = Utc(r.DetectedAt),
                r.CommonAncestor,
                r.CommonAncestorId,
                r.Depth,
                r.OldTipId,
                r.NewTipId,
                Removed = removed,
                Transactions = JsonSerializer.Serialize(RollbackRemoval.TransactionIds(r)),
            },
            transaction,
            cancellationToken: cancellationToken));

        await FenceAsync(connection, transaction, r.NetworkId, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return removed;
    }

    public async Task FinalizeAsync(long networkId, long finalBlock, DateTimeOffset finalizedAt, CancellationToken cancellationToken)
    {
        await using var connection = await OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        if (await FinalizeInTransactionAsync(connection, transaction, networkId, finalBlock, finalizedAt, new FoldedTotals(), cancellationToken))
        {
            await FenceAsync(connection, transaction, networkId, cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }
    }

    /// <summary>
    /// Folds the provisional events at or below <paramref name="finalBlock"/> (plus <paramref name="alreadyFinal"/>,
    /// events just copied in final in this transaction) into the running totals and marks them final. False, changing
    /// nothing, when finality would not move forward and there is nothing to fold. The totals row is read FOR UPDATE,
    /// so two transactions can never fold the same network from the same starting totals.
    /// The decisions and the sums are <see cref="FinalizationFold"/>'s, shared with the other provider; the SQL is this store's.
    /// </summary>
    private static async Task<bool> FinalizeInTransactionAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, long networkId, long finalBlock, DateTimeOffset finalizedAt, FoldedTotals alreadyFinal, CancellationToken cancellationToken)
    {
        var stored = (await connection.QuerySingleAsync<SupplyTotalsRow>(new CommandDefinition(
            "SELECT final_block AS FinalBlock, minted::text AS Minted, burned::text AS Burned, mints AS Mints, burns AS Burns FROM supply_totals WHERE network_id = @networkId FOR UPDATE",
            new { networkId }, transaction, cancellationToken: cancellationToken))).ToTotals();
        if (FinalizationFold.Target(stored, finalBlock, alreadyFinal) is not { } target)
        {
            return false;
        }

        finalBlock = target;

        // Marking and reading in one statement: exactly the rows that became final now come back.
        var newlyFinal = await connection.QueryAsync<(string Kind, string Amount, DateTime? BlockTime)>(new CommandDefinition(
            "UPDATE supply_events SET is_final = true WHERE network_id = @networkId AND NOT is_final AND block_number <= @finalBlock RETURNING kind, amount::text, block_time",
            new { networkId, finalBlock }, transaction, cancellationToken: cancellationToken));
        var (totals, becomingFinal) = FinalizationFold.Fold(stored, target, alreadyFinal, newlyFinal.Select(e => (e.Kind, ParseAmount(e.Amount).Value, Time(e.BlockTime))));

        await connection.ExecuteAsync(new CommandDefinition(
            """
            UPDATE supply_totals SET final_block = @finalBlock, minted = CAST(@Minted AS numeric), burned = CAST(@Burned AS numeric),
                   mints = @Mints, burns = @Burns, finalized_at = @At
            WHERE network_id = @networkId
            """,
            new { networkId, finalBlock, Minted = SumText(totals.Minted), Burned = SumText(totals.Burned), totals.Mints, totals.Burns, At = Utc(finalizedAt) },
            transaction, cancellationToken: cancellationToken));

        // The hourly redemption aggregates move with the totals, in this transaction (issue 17).
        await FoldIntoHoursAsync(connection, transaction, networkId, becomingFinal, cancellationToken);

        // Keep the newest final header as the anchor the next reorg check links to; older ones are history.
        await connection.ExecuteAsync(new CommandDefinition(
            "DELETE FROM blocks WHERE network_id = @networkId AND number < (SELECT MAX(number) FROM blocks WHERE network_id = @networkId AND number <= @finalBlock)",
            new { networkId, finalBlock }, transaction, cancellationToken: cancellationToken));
        return true;
    }

    public async Task RecordLedgerProofAsync(LedgerProofReading reading, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(reading);
        await using var connection = await OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO ledger_proofs (network_id, block_number, onchain_supply, indexed_supply, status, checked_at)
            VALUES (@NetworkId, @BlockNumber, CAST(@Onchain AS numeric), CAST(@Indexed AS numeric), @Status, @At)
            """,
            new
            {
                reading.NetworkId,
                reading.BlockNumber,
                Onchain = reading.OnchainSupply.ToString(),
                Indexed = SumText(reading.IndexedSupply),
                Status = FinalizationFold.LedgerProofStatusText(reading),
                At = Utc(reading.CheckedAt),
            },
            transaction,
            cancellationToken: cancellationToken));
        await FenceAsync(connection, transaction, reading.NetworkId, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

}
