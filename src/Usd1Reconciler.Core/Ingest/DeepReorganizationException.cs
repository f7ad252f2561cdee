namespace Usd1Reconciler.Core.Ingest;

/// <summary>
/// The chain replaced a block the indexer had already treated as final. Rewriting final history silently would hide
/// exactly what the daemon exists to reveal, so the network stops and an operator is paged.
/// </summary>
public sealed class DeepReorganizationException(string network, long finalBlock, long forkBlock, string storedHash, string chainHash)
    : Exception($"network '{network}': the chain no longer contains block {forkBlock} (stored {storedHash}, chain now {chainHash}), at or below final block {finalBlock}; a reorg deeper than the finality depth was refused, not rewritten")
{
    public string Network { get; } = network;

    public long FinalBlock { get; } = finalBlock;

    public long ForkBlock { get; } = forkBlock;
}
