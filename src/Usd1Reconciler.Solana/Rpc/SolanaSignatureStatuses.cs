namespace Usd1Reconciler.Solana.Rpc;

/// <summary>A getSignatureStatuses answer: one entry per asked signature (null = unknown) and the slot the node answered at.</summary>
/// <param name="ContextSlot">The node's view slot. "Unknown" only means "dropped" from a node that has seen at least the slot in question.</param>
public sealed record SolanaSignatureStatuses(long ContextSlot, IReadOnlyList<SolanaSignatureStatus?> Statuses);
