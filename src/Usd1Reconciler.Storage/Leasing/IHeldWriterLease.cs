namespace Usd1Reconciler.Storage.Leasing;

/// <summary>
/// A lease this process holds. Its heartbeat is renewed in the background until it is disposed, which releases it
/// (a clean exit). A crash leaves the row behind; the next writer recognises the dead holder and takes over.
/// </summary>
public interface IHeldWriterLease : IAsyncDisposable
{
    /// <summary>This process as recorded in the lease.</summary>
    WriterLeaseHolder Holder { get; }

    /// <summary>The dead holder this acquisition replaced, or null when the lease was free.</summary>
    WriterLeaseHolder? TookOverFrom { get; }

    /// <summary>
    /// Cancelled when the lease is found taken by someone else at a renewal: the holder must stop writing, because
    /// another process now believes it is the only writer.
    /// </summary>
    CancellationToken Lost { get; }
}
