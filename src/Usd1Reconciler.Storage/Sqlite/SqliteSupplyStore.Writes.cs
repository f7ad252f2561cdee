using System.Globalization;
using System.Numerics;
using System.Text.Json;
using Dapper;
using Microsoft.Data.Sqlite;
using Usd1Reconciler.Core.Ingest;
using Usd1Reconciler.Core.Supply;

namespace Usd1Reconciler.Storage.Sqlite;

public sealed partial class SqliteSupplyStore
{
    // Rows per multi-row INSERT: one statement step per 32 events instead of per event (11 parameters a row, far
    // below SQLite's 32766-parameter limit). Parameters are bound by index through SQLitePCL: binding by name makes
    // SQLite search the parameter list for each of them, which turns a wide statement quadratic.
    private const int RowsPerInsert = 32;

    public async Task CommitBatchAsync(IndexedBatch batch, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(batch);
        await using var connection = OpenConnection();
        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken);

        // Prepared multi-row inserts reused for the whole batch: the hot path of a backfill. Executed synchronously
        // (Microsoft.Data.Sqlite's async calls run synchronously anyway) to spare a task per statement.
        var finalThrough = batch.FinalThrough ?? long.MinValue;
        var folded = FoldedTotals.FinalIn(batch.Events, finalThrough);
        using (var wide = new EventInsert(connection, batch.NetworkId, RowsPerInsert))
        using (var single = new EventInsert(connection, batch.NetworkId, 1))
        {
            var events = batch.Events;
            var at = 0;
            for (; at + RowsPerInsert <= events.Count; at += RowsPerInsert)
            {
                cancellationToken.ThrowIfCancellationRequested();
                wide.Execute(events, at, finalThrough);
            }

            for (; at < events.Count; at++)
            {
                single.Execute(events, at, finalThrough);
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

        await InsertGovernanceChangesAsync(connection, transaction, batch.NetworkId, batch.GovernanceChanges, cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO cursors (network_id, tip_number, tip_id, indexed_at) VALUES (@NetworkId, @Number, @Id, @At)
            ON CONFLICT (network_id) DO UPDATE SET tip_number = excluded.tip_number, tip_id = excluded.tip_id, indexed_at = excluded.indexed_at
            """,
            new { batch.NetworkId, batch.NewTip.Number, batch.NewTip.Id, At = Text(batch.IndexedAt) },
            transaction,
            cancellationToken: cancellationToken));

        if (batch.FinalThrough is { } final)
        {
            await FinalizeInTransactionAsync(connection, transaction, batch.NetworkId, final, batch.IndexedAt, folded, cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
    }

    // A rollback by signature selects the named signatures' rows at the named slots: a seek per slot through the
    // block-led key (network_id, block_number, ...), never a read of the network's events (see RollbackRemoval).
    internal const string FinalEventsOfRemovedTransactionsSql =
        "SELECT COUNT(*) FROM supply_events WHERE network_id = @NetworkId AND block_number IN @Slots AND tx_id IN @TransactionIds AND is_final = 1";

    internal const string DeleteEventsOfRemovedTransactionsSql =
        "DELETE FROM supply_events WHERE network_id = @NetworkId AND block_number IN @Slots AND tx_id IN @TransactionIds AND is_final = 0";

    public async Task<int> RollBackAsync(ChainReorganization reorganization, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(reorganization);
        var r = reorganization;
        await using var connection = OpenConnection();
        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken);

        var removedTransactions = new { r.NetworkId, Slots = RollbackRemoval.Slots(r), TransactionIds = RollbackRemoval.TransactionIds(r) };
        var removed = await RollbackRemoval.RemoveAsync(
            r,
            "final events",
            bySignature => bySignature
                ? connection.ExecuteScalarAsync<long>(new CommandDefinition(
                    FinalEventsOfRemovedTransactionsSql, removedTransactions, transaction, cancellationToken: cancellationToken))
                : connection.ExecuteScalarAsync<long>(new CommandDefinition(
                    "SELECT COUNT(*) FROM supply_events WHERE network_id = @NetworkId AND is_final = 1 AND block_number > @CommonAncestor",
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
                Transactions = JsonSerializer.Serialize(RollbackRemoval.TransactionIds(r)),
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
        if (await FinalizeInTransactionAsync(connection, transaction, networkId, finalBlock, finalizedAt, new FoldedTotals(), cancellationToken))
        {
            await transaction.CommitAsync(cancellationToken);
        }
    }

    /// <summary>
    /// Folds the provisional events at or below <paramref name="finalBlock"/> (plus <paramref name="alreadyFinal"/>,
    /// events just inserted final in this transaction) into the running totals and marks them final. False, changing
    /// nothing, when finality would not move forward and there is nothing to fold.
    /// The decisions and the sums are <see cref="FinalizationFold"/>'s, shared with the other provider; the SQL is this store's.
    /// </summary>
    private static async Task<bool> FinalizeInTransactionAsync(
        SqliteConnection connection, SqliteTransaction transaction, long networkId, long finalBlock, DateTimeOffset finalizedAt, FoldedTotals alreadyFinal, CancellationToken cancellationToken)
    {
        var stored = (await connection.QuerySingleAsync<SupplyTotalsRow>(new CommandDefinition(
            "SELECT final_block AS FinalBlock, minted AS Minted, burned AS Burned, mints AS Mints, burns AS Burns FROM supply_totals WHERE network_id = @networkId",
            new { networkId }, transaction, cancellationToken: cancellationToken))).ToTotals();
        if (FinalizationFold.Target(stored, finalBlock, alreadyFinal) is not { } target)
        {
            return false;
        }

        finalBlock = target;
        var newlyFinal = await connection.QueryAsync<(string Kind, string Amount, string? BlockTime)>(new CommandDefinition(
            "SELECT kind, amount, block_time FROM supply_events WHERE network_id = @networkId AND is_final = 0 AND block_number <= @finalBlock",
            new { networkId, finalBlock }, transaction, cancellationToken: cancellationToken));
        var (totals, becomingFinal) = FinalizationFold.Fold(
            stored, target, alreadyFinal, newlyFinal.Select(e => (e.Kind, ParseAmount(e.Amount).Value, e.BlockTime is null ? (DateTimeOffset?)null : ParseTime(e.BlockTime))));

        await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE supply_events SET is_final = 1 WHERE network_id = @networkId AND is_final = 0 AND block_number <= @finalBlock",
            new { networkId, finalBlock }, transaction, cancellationToken: cancellationToken));
        await connection.ExecuteAsync(new CommandDefinition(
            """
            UPDATE supply_totals SET final_block = @finalBlock, minted = @Minted, burned = @Burned, mints = @Mints, burns = @Burns, finalized_at = @At
            WHERE network_id = @networkId
            """,
            new { networkId, finalBlock, Minted = SumText(totals.Minted), Burned = SumText(totals.Burned), totals.Mints, totals.Burns, At = Text(finalizedAt) },
            transaction, cancellationToken: cancellationToken));

        // The hourly redemption aggregates move with the totals, in this transaction (issue 17).
        FoldIntoHours(connection, transaction, networkId, becomingFinal);

        // Keep the newest final header as the anchor the next reorg check links to; older ones are history.
        await connection.ExecuteAsync(new CommandDefinition(
            "DELETE FROM blocks WHERE network_id = @networkId AND number < (SELECT MAX(number) FROM blocks WHERE network_id = @networkId AND number <= @finalBlock)",
            new { networkId, finalBlock }, transaction, cancellationToken: cancellationToken));
        return true;
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
                Status = FinalizationFold.LedgerProofStatusText(reading),
                At = Text(reading.CheckedAt),
            },
            cancellationToken: cancellationToken));
    }


    /// <summary>
    /// A prepared INSERT of <c>rows</c> events at once on the transaction's connection, parameters bound by index. A
    /// failed step (a duplicate event key above all) throws <see cref="SqliteException"/>, failing the whole batch.
    /// </summary>
    private sealed class EventInsert : IDisposable
    {
        private const int Columns = 11;
        private readonly SQLitePCL.sqlite3 _db;
        private readonly SQLitePCL.sqlite3_stmt _statement;
        private readonly int _rows;
        // Text is bound as UTF-8 bytes (SQLite copies them at bind time). Binding a .NET string would allocate its UTF-8
        // copy on every call; these keep the bytes of the last value per column, and in a backfill the transaction,
        // block, holder and time repeat from row to row, so most binds encode nothing at all.
        private readonly Utf8Column _transaction = new();
        private readonly Utf8Column _blockHash = new();
        private readonly Utf8Column _actor = new();
        private readonly Utf8Column _holder = new();
        private readonly Utf8Column _time = new();
        private readonly byte[] _amount = new byte[80];
        private DateTimeOffset? _lastTime;
        private string _lastTimeText = string.Empty;

        public EventInsert(SqliteConnection connection, long networkId, int rows)
        {
            _rows = rows;
            _db = connection.Handle!;
            var text = new System.Text.StringBuilder(
                "INSERT INTO supply_events (network_id, tx_id, position, sub_position, kind, block_number, block_hash, actor, holder, amount, block_time, is_final) VALUES ");
            for (var r = 0; r < rows; r++)
            {
                text.Append(r == 0 ? "(?1" : ",(?1");
                for (var c = 0; c < Columns; c++)
                {
                    text.Append(CultureInfo.InvariantCulture, $",?{Index(r, c)}");
                }

                text.Append(')');
            }

            Check(SQLitePCL.raw.sqlite3_prepare_v2(_db, text.ToString(), out _statement));
            Check(SQLitePCL.raw.sqlite3_bind_int64(_statement, 1, networkId));
        }

        public void Execute(IReadOnlyList<SupplyEvent> events, int offset, long finalThrough)
        {
            for (var r = 0; r < _rows; r++)
            {
                var e = events[offset + r];
                Check(SQLitePCL.raw.sqlite3_bind_text(_statement, Index(r, 0), _transaction.Utf8(e.TransactionId)));
                Check(SQLitePCL.raw.sqlite3_bind_int(_statement, Index(r, 1), e.Position));
                Check(SQLitePCL.raw.sqlite3_bind_int(_statement, Index(r, 2), e.SubPosition));
                Check(SQLitePCL.raw.sqlite3_bind_text(_statement, Index(r, 3), e.Kind == SupplyEventKind.Mint ? "mint"u8 : "burn"u8));
                Check(SQLitePCL.raw.sqlite3_bind_int64(_statement, Index(r, 4), e.BlockNumber));
                Check(SQLitePCL.raw.sqlite3_bind_text(_statement, Index(r, 5), _blockHash.Utf8(e.BlockHash)));
                Check(e.Actor is null
                    ? SQLitePCL.raw.sqlite3_bind_null(_statement, Index(r, 6))
                    : SQLitePCL.raw.sqlite3_bind_text(_statement, Index(r, 6), _actor.Utf8(e.Actor)));
                Check(SQLitePCL.raw.sqlite3_bind_text(_statement, Index(r, 7), _holder.Utf8(e.Holder)));
                Check(SQLitePCL.raw.sqlite3_bind_text(_statement, Index(r, 8), AmountUtf8(e.Amount)));
                Check(e.BlockTime is { } time
                    ? SQLitePCL.raw.sqlite3_bind_text(_statement, Index(r, 9), _time.Utf8(TimeText(time)))
                    : SQLitePCL.raw.sqlite3_bind_null(_statement, Index(r, 9)));
                Check(SQLitePCL.raw.sqlite3_bind_int(_statement, Index(r, 10), e.BlockNumber <= finalThrough ? 1 : 0));
            }

            var step = SQLitePCL.raw.sqlite3_step(_statement);
            SQLitePCL.raw.sqlite3_reset(_statement);
            if (step != SQLitePCL.raw.SQLITE_DONE)
            {
                throw new SqliteException(
                    $"SQLite Error {step}: '{SQLitePCL.raw.sqlite3_errmsg(_db).utf8_to_string()}'.", step, SQLitePCL.raw.sqlite3_extended_errcode(_db));
            }
        }

        public void Dispose() => _statement.Dispose();

        /// <summary>The amount's decimal digits (at most 78 for 2^256−1), written without a string in between.</summary>
        private ReadOnlySpan<byte> AmountUtf8(Core.Amounts.TokenAmount amount)
        {
            var value = amount.Value;
            int written;
            if (value <= long.MaxValue)
            {
                // Amounts are never negative; most fit a long, which formats straight to UTF-8.
                ((long)value).TryFormat(_amount, out written, default, CultureInfo.InvariantCulture);
                return _amount.AsSpan(0, written);
            }

            Span<char> digits = stackalloc char[80];
            if (!value.TryFormat(digits, out written, default, CultureInfo.InvariantCulture))
            {
                throw new InvalidOperationException($"amount {amount} has more than {digits.Length} digits");
            }

            return _amount.AsSpan(0, System.Text.Encoding.ASCII.GetBytes(digits[..written], _amount));
        }

        // Parameter 1 is the network id; row r's columns follow from 2.
        private static int Index(int row, int column) => 2 + (row * Columns) + column;

        // Events of one block share its time: format it once per block, not once per event.
        private string TimeText(DateTimeOffset time)
        {
            if (_lastTime != time)
            {
                _lastTime = time;
                _lastTimeText = Text(time);
            }

            return _lastTimeText;
        }

        private void Check(int rc)
        {
            if (rc != SQLitePCL.raw.SQLITE_OK)
            {
                throw new SqliteException($"SQLite Error {rc}: '{SQLitePCL.raw.sqlite3_errmsg(_db).utf8_to_string()}'.", rc, SQLitePCL.raw.sqlite3_extended_errcode(_db));
            }
        }
    }

    /// <summary>The UTF-8 bytes of the last string bound to one column, re-encoded only when a different string instance comes.</summary>
    private sealed class Utf8Column
    {
        private string? _last;
        private byte[] _bytes = new byte[128];
        private int _length;

        public ReadOnlySpan<byte> Utf8(string value)
        {
            if (!ReferenceEquals(value, _last))
            {
                var needed = System.Text.Encoding.UTF8.GetMaxByteCount(value.Length);
                if (needed > _bytes.Length)
                {
                    _bytes = new byte[needed];
                }

                _length = System.Text.Encoding.UTF8.GetBytes(value, _bytes);
                _last = value;
            }

            return _bytes.AsSpan(0, _length);
        }
    }

    internal static BigInteger Signed(string kind, string amount) =>
        kind == "mint" ? ParseAmount(amount).Value : -ParseAmount(amount).Value;
}
