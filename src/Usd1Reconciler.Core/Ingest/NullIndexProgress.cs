namespace Usd1Reconciler.Core.Ingest;

/// <summary>The progress sink of indexers nobody watches (tests, benchmarks): does nothing.</summary>
public sealed class NullIndexProgress : IIndexProgress
{
    public static NullIndexProgress Instance { get; } = new();

    private NullIndexProgress()
    {
    }

    public void PassStarted(string network, long cursor, long target)
    {
    }

    public void Committed(string network, long cursor, int events)
    {
    }
}
