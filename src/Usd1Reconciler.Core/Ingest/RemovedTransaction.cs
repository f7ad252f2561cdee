namespace Usd1Reconciler.Core.Ingest;

/// <summary>
/// A transaction a rollback removes by id (a dropped Solana signature) and the block/slot its rows are stored at, as
/// the indexer read it from the store's own rows. The slot lets the store find the rows through its block-led key: a
/// lookup by transaction id alone would read every event of the network.
/// </summary>
public sealed record RemovedTransaction(long BlockNumber, string TransactionId);
