namespace Usd1Reconciler.Core.Ingest;

/// <summary>
/// A fork the indexer followed: everything above <see cref="CommonAncestor"/> (EVM) or the listed transactions
/// (Solana, whose dropped signatures are not a contiguous range) was removed and will be indexed again from the
/// winning fork.
/// </summary>
/// <param name="CommonAncestor">Highest block/slot both forks share; the cursor moves back here.</param>
/// <param name="CommonAncestorId">Its hash (EVM) or the newest signature kept (Solana).</param>
/// <param name="Depth">How many blocks (EVM) or slots with dropped transactions (Solana) were abandoned.</param>
/// <param name="OldTipId">Tip id before the rollback.</param>
/// <param name="NewTipId">The block hash that revealed the fork (EVM), or empty.</param>
/// <param name="RemovedTransactions">
/// Solana signatures to drop, each with the slot its rows are stored at; empty for EVM, where the block range decides.
/// </param>
public sealed record ChainReorganization(
    long NetworkId,
    long CommonAncestor,
    string CommonAncestorId,
    int Depth,
    string OldTipId,
    string NewTipId,
    DateTimeOffset DetectedAt,
    IReadOnlyList<RemovedTransaction> RemovedTransactions);
