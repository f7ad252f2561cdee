namespace Usd1Reconciler.Evm.Indexing;

/// <summary>
/// The chain changed between two reads of one batch (a header no longer links, a log names a block hash the header
/// does not have). Nothing of the batch is committed; the pass starts over and the reorg check sorts it out.
/// </summary>
internal sealed class ChainMovedException(string message) : Exception(message);
