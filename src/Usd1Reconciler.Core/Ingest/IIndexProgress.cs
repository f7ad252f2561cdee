namespace Usd1Reconciler.Core.Ingest;

/// <summary>
/// Told where an indexer's cursor is as it moves, so long work can show its progress. The cursor is the block (EVM) or
/// slot (Solana) the store has committed through — never an estimate — and the target is the head the pass indexes
/// to. Called on the indexing task between commits: implementations must be cheap, thread-safe and must not throw.
/// </summary>
public interface IIndexProgress
{
    /// <summary>A pass (or a restart of it after the chain moved) begins at <paramref name="cursor"/> and will index up to <paramref name="target"/>.</summary>
    void PassStarted(string network, long cursor, long target);

    /// <summary>A batch committed: the store now holds everything through <paramref name="cursor"/>, with <paramref name="events"/> more events.</summary>
    void Committed(string network, long cursor, int events);
}
