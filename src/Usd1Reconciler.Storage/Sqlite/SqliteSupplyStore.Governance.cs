using Dapper;
using Microsoft.Data.Sqlite;
using Usd1Reconciler.Core.Governance;

namespace Usd1Reconciler.Storage.Sqlite;

/// <summary>
/// The governance side of the store (issue 15): changes are inserted by <see cref="CommitBatchAsync"/> and deleted by
/// <see cref="RollBackAsync"/> in their transactions (see <see cref="InsertGovernanceChangesAsync"/>); here they are
/// read back, and the latest governance proof per network is kept.
/// </summary>
public sealed partial class SqliteSupplyStore : IGovernanceStore
{
    private const string GovernanceColumns =
        "n.name AS Network, g.kind AS Kind, g.subject AS Subject, g.old_value AS OldValue, g.new_value AS NewValue, g.actor AS Actor, " +
        "g.block_number AS BlockNumber, g.block_hash AS BlockHash, g.tx_id AS TxId, g.position AS Position, g.sub_position AS SubPosition, " +
        "g.block_time AS BlockTime, CASE WHEN g.block_number <= t.final_block THEN 1 ELSE 0 END AS IsFinal";

    public async Task<IReadOnlyList<GovernanceChange>> GetGovernanceChangesAsync(string network, CancellationToken cancellationToken)
    {
        await using var connection = OpenConnection();
        var rows = await connection.QueryAsync<GovernanceRow>(new CommandDefinition(
            $"""
            SELECT {GovernanceColumns}
            FROM governance_changes g JOIN networks n ON n.id = g.network_id JOIN supply_totals t ON t.network_id = g.network_id
            WHERE n.name = @network
            ORDER BY g.block_number, g.position, g.sub_position
            """,
            new { network }, cancellationToken: cancellationToken));
        return rows.Select(r => r.ToChange(Path)).ToList();
    }

    public async Task<IReadOnlyList<GovernanceChange>> GetGovernanceLogAsync(DateTimeOffset? since, CancellationToken cancellationToken)
    {
        await using var connection = OpenConnection();
        var rows = await connection.QueryAsync<GovernanceRow>(new CommandDefinition(
            $"""
            SELECT {GovernanceColumns}
            FROM governance_changes g JOIN networks n ON n.id = g.network_id JOIN supply_totals t ON t.network_id = g.network_id
            WHERE @since IS NULL OR g.block_time >= @since
            ORDER BY n.name, g.block_number, g.position, g.sub_position
            """,
            new { since = since is { } s ? Text(s) : null }, cancellationToken: cancellationToken));
        return rows.Select(r => r.ToChange(Path)).ToList();
    }

    public async Task RecordGovernanceProofAsync(GovernanceProofReading reading, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(reading);
        await using var connection = OpenConnection();
        var written = await connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO governance_proofs (network_id, block_number, status, differences, state_hash, reason, checked_at)
            SELECT id, @BlockNumber, @Status, @Differences, @StateHash, @Reason, @At FROM networks WHERE name = @Network
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
                At = Text(reading.CheckedAt),
            },
            cancellationToken: cancellationToken));
        if (written == 0)
        {
            throw new InvalidOperationException($"governance proof for network '{reading.Network}', which is not registered in store {Path}");
        }
    }

    public async Task<GovernanceProofReading?> GetGovernanceProofAsync(string network, CancellationToken cancellationToken)
    {
        await using var connection = OpenConnection();
        var row = await connection.QuerySingleOrDefaultAsync<GovernanceProofRecord>(new CommandDefinition(
            """
            SELECT p.block_number AS BlockNumber, p.status AS Status, p.differences AS Differences, p.state_hash AS StateHash, p.reason AS Reason, p.checked_at AS CheckedAt
            FROM governance_proofs p JOIN networks n ON n.id = p.network_id WHERE n.name = @network
            """,
            new { network }, cancellationToken: cancellationToken));
        return row?.ToReading(network, Path);
    }

    /// <summary>Inserts a batch's governance changes in the batch's transaction; a duplicate key fails the whole batch, as for supply events.</summary>
    private static async Task InsertGovernanceChangesAsync(SqliteConnection connection, SqliteTransaction transaction, long networkId, IReadOnlyList<GovernanceChange> changes, CancellationToken cancellationToken)
    {
        foreach (var c in changes)
        {
            await connection.ExecuteAsync(new CommandDefinition(
                """
                INSERT INTO governance_changes (network_id, tx_id, position, sub_position, block_number, block_hash, block_time, kind, subject, old_value, new_value, actor)
                VALUES (@networkId, @TransactionId, @Position, @SubPosition, @BlockNumber, @BlockHash, @BlockTime, @Kind, @Subject, @OldValue, @NewValue, @Actor)
                """,
                new
                {
                    networkId,
                    c.TransactionId,
                    c.Position,
                    c.SubPosition,
                    c.BlockNumber,
                    c.BlockHash,
                    BlockTime = c.BlockTime is { } t ? Text(t) : null,
                    Kind = GovernanceRecordText.KindText(c.Kind),
                    c.Subject,
                    c.OldValue,
                    c.NewValue,
                    c.Actor,
                },
                transaction, cancellationToken: cancellationToken));
        }
    }

    // Which changes a rollback removes: those of the dropped signatures at their slots (Solana) or those above the
    // common ancestor (EVM). The table is keyed by signature, so the guard seeks each dropped signature through the key
    // and refuses a final change of it at any slot; the delete keeps to the named slots, as the events' does (see
    // RollbackRemoval). The unary + keeps the finality bound off ix_governance_changes_block: with it usable, SQLite
    // walked that index through every final change of the network (block_number < final) instead of seeking the key.
    internal const string FinalChangesOfRemovedTransactionsSql =
        """
        SELECT COUNT(*) FROM governance_changes
        WHERE network_id = @NetworkId AND tx_id IN @TransactionIds AND +block_number <= (SELECT final_block FROM supply_totals WHERE network_id = @NetworkId)
        """;

    internal const string DeleteChangesOfRemovedTransactionsSql =
        "DELETE FROM governance_changes WHERE network_id = @NetworkId AND tx_id IN @TransactionIds AND block_number IN @Slots";

    private const string RemovedByBlock = "block_number > @CommonAncestor";
    private const string AtOrBelowFinal = "block_number <= (SELECT final_block FROM supply_totals WHERE network_id = @NetworkId)";

    /// <summary>
    /// The rollback's governance half, in its transaction: the changes in the abandoned blocks (EVM) or of the dropped
    /// signatures (Solana). A final change is never removed: a rollback reaching one throws, undoing the whole
    /// rollback, as a final supply event does (a block holding only privileged actions has no supply event to stop it).
    /// </summary>
    private static async Task RemoveGovernanceChangesAsync(SqliteConnection connection, SqliteTransaction transaction, Core.Ingest.ChainReorganization r, CancellationToken cancellationToken)
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
        public string? BlockTime { get; init; }
        public long IsFinal { get; init; }

        protected override (DateTimeOffset? BlockTime, bool IsFinal) ReadBlockTimeAndFinal() => (BlockTime is null ? null : ParseTime(BlockTime), IsFinal == 1);
    }

    private sealed class GovernanceProofRecord : GovernanceProofRow
    {
        public string CheckedAt { get; init; } = "";

        protected override DateTimeOffset ReadCheckedAt() => ParseTime(CheckedAt);
    }
}
