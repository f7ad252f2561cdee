namespace Usd1Reconciler.Core.Ingest;

/// <summary>
/// The part of a block the indexer keeps to detect reorganisations: for every block it has not yet seen final, the
/// stored chain is linked parentHash ⇒ hash, so a new block that does not link to it reveals a fork.
/// </summary>
public sealed record BlockHeader(long Number, string Hash, string ParentHash, DateTimeOffset Timestamp);
