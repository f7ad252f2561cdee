using Usd1Reconciler.Core.Amounts;

namespace Usd1Reconciler.Solana.Rpc;

/// <summary>getTokenAccountBalance: the account's balance in base units and the slot (context.slot) it was read at.</summary>
public sealed record SolanaTokenAccountBalance(long Slot, TokenAmount Amount, int Decimals);
