namespace Usd1Reconciler.Storage.Leasing;

/// <summary>
/// Invariant 10, one writer: a store is written by one process at a time. A writer verb acquires the lease before
/// its first write (migrations included) and holds it until it ends; a second writer is refused with the holder's
/// name and changes nothing. Read-only verbs never take it. Each store provider implements the same concept: SQLite
/// with a row written in one write transaction (<see cref="SqliteWriterLease"/>); a shared PostgreSQL store would
/// use a row compared on database time and checked inside each commit (docs/architecture.md, "Growing past one machine").
/// </summary>
public interface IWriterLease
{
    /// <summary>The store the lease guards, as named in messages (a path; never a password).</summary>
    string StorePath { get; }

    /// <summary>
    /// Takes the lease for <paramref name="verb"/> (e.g. "run", "index"), taking over a lease whose holder is gone.
    /// </summary>
    /// <exception cref="WriterLeaseHeldException">Another live writer holds the lease; nothing was written.</exception>
    Task<IHeldWriterLease> AcquireAsync(string verb, CancellationToken cancellationToken);
}
