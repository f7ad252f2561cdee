using Usd1Reconciler.Core.Amounts;

namespace Usd1Reconciler.Solana.Rpc;

/// <summary>getTokenSupply: the mint's supply in base units and the slot (context.slot) the node read it at.</summary>
public sealed record SolanaTokenSupply(long Slot, TokenAmount Amount, int Decimals);
