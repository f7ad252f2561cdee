using Usd1Reconciler.Core.Amounts;

namespace Usd1Reconciler.Core.Reconciliation;

/// <summary>An excluded holder's balance (treasury, unissued inventory, bridge lock box), read at the proof's block/slot.</summary>
public sealed record HolderBalance(string Address, string Label, TokenAmount Balance);
