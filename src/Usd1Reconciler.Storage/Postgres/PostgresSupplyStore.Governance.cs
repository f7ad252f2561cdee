using Dapper;
using Npgsql;
using Usd1Reconciler.Core.Governance;
using Usd1Reconciler.Core.Ingest;

namespace Usd1Reconciler.Storage.Postgres;

/// <summary>
/// The governance side of the PostgreSQL store (issue 15, migration 0053), the same contract as the SQLite store's:
/// changes are inserted by <see cref="CommitBatchAsync"/> and deleted by <see cref="RollBackAsync"/> inside their
/// transactions, which the network's writer lease fences (<see cref="FenceAsync(NpgsqlConnection, NpgsqlTransaction, long, CancellationToken)"/>),
/// so a writer whose lease was taken can neither add nor remove a change. Here they are read back, and the latest
/// governance proof per network is kept — written under the same fence, as the ledger proof is.
/// </summary>
public sealed partial class PostgresSupplyStore : IGovernanceStore
{
    // Final is computed on read against the network's final block, as in SQLite: finalization needs no second update.
    private const string GovernanceColumns =
        "n.name AS Network, g.kind AS Kind, g.subject AS Subject, g.old_value AS OldValue, g.new_value AS NewValue, g.actor AS Actor, " +
        "g.block_number AS BlockNumber, g.block_hash AS BlockHash, g.tx_id AS TxId, g.position AS Position, g.sub_position AS SubPosition, " +
        "g.block_time AS BlockTime, g.block_number <= t.final_block AS IsFinal";

    private const string GovernanceFrom =
        "FROM governance_changes g JOIN networks n ON n.id = g.network_id JOIN supply_totals t ON t.network_id = g.network_id";

    public async Task<IReadOnlyList<GovernanceChange>> GetGovernanceChangesAsync(string network, CancellationToken cancellationToken)
    {
        await using var connection = await OpenConnectionAsync(cancellationToken);
        var rows = await connection.QueryAsync<GovernanceRow>(new CommandDefinition(
            $"SELECT {GovernanceColumns} {GovernanceFrom} WHERE n.name = @network ORDER BY g.block_number, g.position, g.sub_position",
            new { network }, cancellationToken: cancellationToken));
        return rows.Select(r => r.ToChange(Location)).ToList();
    }

    public async Task<IReadOnlyList<GovernanceChange>> GetGovernanceLogAsync(DateTimeOffset? since, CancellationToken cancellationToken)
    {
        await using var connection = await OpenConnectionAsync(cancellationToken);
        // Two statements rather than "@since IS NULL OR …": PostgreSQL cannot infer the type of a parameter that is
        // only ever compared with NULL. Ordered by name bytewise (COLLATE "C"), as SQLite's BINARY collation orders.
        var rows = await connection.QueryAsync<GovernanceRow>(new CommandDefinition(
            since is null
                ? $"SELECT {GovernanceColumns} {GovernanceFrom} ORDER BY n.name COLLATE \"C\", g.block_number, g.position, g.sub_position"
                : $"SELECT {GovernanceColumns} {GovernanceFrom} WHERE g.block_time >= @since ORDER BY n.name COLLATE \"C\", g.block_number, g.position, g.sub_position",
            new { since = Utc(since) }, cancellationToken: cancellationToken));
        return rows.Select(r => r.ToChange(Location)).ToList();
    }

    public async Task RecordGovernanceProofAsync(GovernanceProofReading reading, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(reading);
        await using var connection = await OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var written = await connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO governance_proofs (network_id, block_number, status, differences, state_hash, reason, checked_at)
            SELECT id, @BlockNumber, @Status, CAST(@Differences AS jsonb), @StateHash, @Reason, @At FROM networks WHERE name = @Network
            ON CONFLICT (network_id) DO UPDATE SET block_number = excluded.block_number, status = excluded.status, differences = excluded.differences,
                state_hash = excluded.state_hash, reason = excluded.reason, checked_at = excluded.checked_at
            """,
            new
            {
                reading.Network,
                reading.BlockNumber,
                Status = GovernanceRecordText.StatusText(reading.Status),
                Differences = GovernanceRecordText.DifferencesJson(reading.Differences),
                reading.StateHash,
                reading.Reason,
                At = Utc(reading.CheckedAt),
            },
            transaction,
            cancellationToken: cancellationToken));
        if (written == 0)
        {
            throw new InvalidOperationException($"governance proof for network '{reading.Network}', which is not registered in store {Location}");
        }

        await FenceAsync(connection, transaction, reading.Network, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    public async Task<GovernanceProofReading?> GetGovernanceProofAsync(string network, CancellationToken cancellationToken)
    {
        await using var connection = await OpenConnectionAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<GovernanceProofRecord>(new CommandDefinition(
            """
            SELECT p.block_number AS BlockNumber, p.status AS Status, p.differences::text AS Differences, p.state_hash AS StateHash, p.reason AS Reason, p.checked_at AS CheckedAt
            FROM governance_proofs p JOIN networks n ON n.id = p.network_id WHERE n.name = @network
            """,
            new { network }, cancellationToken: cancellationToken));
        return row?.ToReading(network, Location);
    }

    /// <summary>
    /// Inserts a batch's governance changes in the batch's transaction, all in one statement; a duplicate key fails the
    /// whole batch, cursor and supply events included, as a duplicate supply event does.
    /// </summary>
    private static async Task InsertGovernanceChangesAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, long networkId, IReadOnlyList<GovernanceChange> changes, CancellationToken cancellationToken)
    {
        if (changes.Count == 0)
        {
            return;
        }

        await connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO governance_changes (network_id, tx_id, position, sub_position, block_number, block_hash, block_time, kind, subject, old_value, new_value, actor)
            SELECT @networkId, c.tx_id, c.position, c.sub_position, c.block_number, c.block_hash, c.block_time, c.kind, c.subject, c.old_value, c.new_value, c.actor
            FROM unnest(@Transactions, @Positions, @SubPositions, @Blocks, @Hashes, @Times, @Kinds, @Subjects, @Olds, @News, @Actors)
                AS c (tx_id, position, sub_position, block_number, block_hash, block_time, kind, subject, old_value, new_value, actor)
            """,
            new
            {
                networkId,
                Transactions = changes.Select(c => c.TransactionId).ToArray(),
                Positions = changes.Select(c => c.Position).ToArray(),
                SubPositions = changes.Select(c => c.SubPosition).ToArray(),
                Blocks = changes.Select(c => c.BlockNumber).ToArray(),
                Hashes = changes.Select(c => c.BlockHash).ToArray(),
                Times = changes.Select(c => Utc(c.BlockTime)).ToArray(),
                Kinds = changes.Select(c => GovernanceRecordText.KindText(c.Kind)).ToArray(),
                Subjects = changes.Select(c => c.Subject).ToArray(),
                Olds = changes.Select(c => c.OldValue).ToArray(),
                News = changes.Select(c => c.NewValue).ToArray(),
                Actors = changes.Select(c => c.Actor).ToArray(),
            },
            transaction,
            cancellationToken: cancellationToken));
    }

    // Which changes a rollback removes: those of the dropped signatures at their slots (Solana) or those above the
    // common ancestor (EVM). The table is keyed by signature, so the guard seeks each dropped signature through the key
    // and refuses a final change of it at any slot; the delete keeps to the named slots, as the events' does (see
    // RollbackRemoval).
    internal const string FinalChangesOfRemovedTransactionsSql =
        $"SELECT COUNT(*) FROM governance_changes WHERE network_id = @NetworkId AND tx_id = ANY(@TransactionIds) AND {AtOrBelowFinal}";

    internal const string DeleteChangesOfRemovedTransactionsSql =
        "DELETE FROM governance_changes WHERE network_id = @NetworkId AND tx_id = ANY(@TransactionIds) AND block_number = ANY(@Slots)";

    private const string RemovedByBlock = "block_number > @CommonAncestor";
    private const string AtOrBelowFinal = "block_number <= (SELECT final_block FROM supply_totals WHERE network_id = @NetworkId)";

    /// <summary>
    /// The rollback's governance half, in its transaction: the changes in the abandoned blocks (EVM) or of the dropped
    /// signatures (Solana). A final change is never removed: a rollback reaching one throws, undoing the whole
    /// rollback, as a final supply event does (a block holding only privileged actions has no supply event to stop it).
    /// </summary>
    private static async Task RemoveGovernanceChangesAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, ChainReorganization r, CancellationToken cancellationToken)
    {
        object parameters = r.RemovedTransactions.Count > 0
            ? new { r.NetworkId, Slots = RollbackRemoval.Slots(r), TransactionIds = RollbackRemoval.TransactionIds(r) }
            : new { r.NetworkId, r.CommonAncestor };
        await RollbackRemoval.RemoveAsync(
            r,
            "final governance changes",
            bySignature => connection.ExecuteScalarAsync<long>(new CommandDefinition(
                bySignature
                    ? FinalChangesOfRemovedTransactionsSql
                    : $"SELECT COUNT(*) FROM governance_changes WHERE network_id = @NetworkId AND {RemovedByBlock} AND {AtOrBelowFinal}",
                parameters, transaction, cancellationToken: cancellationToken)),
            bySignature => connection.ExecuteAsync(new CommandDefinition(
                bySignature
                    ? DeleteChangesOfRemovedTransactionsSql
                    : $"DELETE FROM governance_changes WHERE network_id = @NetworkId AND {RemovedByBlock}",
                parameters, transaction, cancellationToken: cancellationToken)));
    }

    private sealed class GovernanceRow : GovernanceChangeRow
    {
        public DateTime? BlockTime { get; init; }
        public bool IsFinal { get; init; }

        protected override (DateTimeOffset? BlockTime, bool IsFinal) ReadBlockTimeAndFinal() => (Time(BlockTime), IsFinal);
    }

    private sealed class GovernanceProofRecord : GovernanceProofRow
    {
        public DateTime CheckedAt { get; init; }

        protected override DateTimeOffset ReadCheckedAt() => Time(CheckedAt);
    }
}
