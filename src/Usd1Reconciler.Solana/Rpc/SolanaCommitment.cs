namespace Usd1Reconciler.Solana.Rpc;

/// <summary>
/// How settled a slot must be for a node to answer from it. <see cref="Processed"/> exists on the wire but is refused
/// by the indexer: a processed slot can still be skipped, and agave itself refuses it for getTransaction and
/// getSignaturesForAddress.
/// </summary>
public enum SolanaCommitment
{
    Processed,
    Confirmed,
    Finalized,
}
