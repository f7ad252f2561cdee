namespace Usd1Reconciler.Solana.Rpc;

/// <summary>One entry of getSignaturesForAddress: a transaction that referenced the address.</summary>
/// <param name="Failed">The transaction's <c>err</c> was non-null: it ran, paid its fee and changed nothing else.</param>
/// <param name="ConfirmationStatus">processed / confirmed / finalized as the node saw it, or null when it did not say.</param>
public sealed record SolanaSignatureInfo(string Signature, long Slot, bool Failed, DateTimeOffset? BlockTime, string? ConfirmationStatus);
