namespace Usd1Reconciler.Storage.Leasing;

/// <summary>Another live process holds the store's writer lease; the refused writer has written nothing.</summary>
public sealed class WriterLeaseHeldException(string storePath, WriterLeaseHolder holder)
    : Exception($"store {storePath} is being written by {holder.Describe()}; one writer at a time: stop it first, or use a read-only verb (supply, report, db check, db backup)")
{
    public string StorePath { get; } = storePath;

    public WriterLeaseHolder Holder { get; } = holder;
}
