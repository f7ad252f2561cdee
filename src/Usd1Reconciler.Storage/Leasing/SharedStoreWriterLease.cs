namespace Usd1Reconciler.Storage.Leasing;

/// <summary>
/// The store-level lease of a shared (PostgreSQL) store: it excludes no one, because on PostgreSQL several instances
/// run against one store by design (issue 14) and exclusion is per network instead — every commit of a network's
/// index data passes the <see cref="INetworkWriteFence"/> inside its transaction, and schema changes serialize on the
/// migrator's advisory lock. Acquiring records nothing and the lease is never lost; it exists so writer verbs keep one
/// code path whatever the provider. SQLite's whole-store <see cref="SqliteWriterLease"/> is unchanged.
/// </summary>
public sealed class SharedStoreWriterLease(string storeLocation, TimeProvider time) : IWriterLease
{
    public string StorePath => storeLocation;

    public Task<IHeldWriterLease> AcquireAsync(string verb, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        return Task.FromResult<IHeldWriterLease>(new Held(new WriterLeaseHolder(LocalProcess.Pid, LocalProcess.Identity(LocalProcess.Pid), LocalProcess.Host, verb, now, now)));
    }

    private sealed class Held(WriterLeaseHolder holder) : IHeldWriterLease
    {
        public WriterLeaseHolder Holder => holder;

        public WriterLeaseHolder? TookOverFrom => null;

        public CancellationToken Lost => CancellationToken.None;

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
