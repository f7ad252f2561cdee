namespace Usd1Reconciler.Solana.Rpc;

/// <summary>One entry of getSignatureStatuses for a signature the node knows (unknown signatures are null).</summary>
/// <param name="Slot">The slot the transaction landed in on the node's current fork.</param>
/// <param name="ConfirmationStatus">processed / confirmed / finalized, or null from nodes too old to say.</param>
public sealed record SolanaSignatureStatus(long Slot, bool Failed, string? ConfirmationStatus)
{
    public bool IsFinalized => string.Equals(ConfirmationStatus, "finalized", StringComparison.Ordinal);
}
