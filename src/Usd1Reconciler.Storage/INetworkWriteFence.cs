using System.Data.Common;

namespace Usd1Reconciler.Storage;

/// <summary>
/// The fence of a shared store (issue 14.4, exactly one writer per network): every write transaction that commits a
/// network's index data (a batch with its cursor, a rollback, a finalization, a ledger proof, the pass state) calls
/// <see cref="EnsureHeldAsync"/> inside that transaction, right before COMMIT. An implementation that finds this
/// instance no longer holds the network's lease throws, so the transaction rolls back and a writer whose lease was
/// taken commits nothing afterwards. The check runs in the commit's own transaction (on database time, with the lease
/// row read there), not before it, so a takeover between check and commit is impossible.
/// <para>
/// SQLite keeps its whole-store <see cref="Leasing.IWriterLease"/> (one process writes the file) and never calls this;
/// the PostgreSQL stores call it on every such commit. <see cref="NoNetworkWriteFence"/> fences nothing.
/// </para>
/// </summary>
public interface INetworkWriteFence
{
    /// <summary>Throws (a <see cref="StoreException"/>, e.g. a lost-lease one) when this instance may not commit <paramref name="network"/>'s data now.</summary>
    /// <param name="connection">The connection of the open write transaction (a PostgreSQL one for the PostgreSQL stores).</param>
    /// <param name="transaction">The write transaction about to commit.</param>
    /// <param name="network">The network's configured name.</param>
    ValueTask EnsureHeldAsync(DbConnection connection, DbTransaction transaction, string network, CancellationToken cancellationToken);
}
