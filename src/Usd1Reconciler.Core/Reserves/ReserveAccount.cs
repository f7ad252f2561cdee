using Usd1Reconciler.Core.Amounts;

namespace Usd1Reconciler.Core.Reserves;

/// <summary>One account of a reserve snapshot.</summary>
/// <param name="AccountId">Unique within the snapshot (a duplicate is a rejection, not a sum).</param>
/// <param name="Currency">ISO code as the feed stated it; anything but USD is rejected.</param>
/// <param name="Amount">Exact USD; negative amounts are rejected.</param>
/// <param name="Bank">Bank or custodian holding the account (the concentration rule groups by it).</param>
/// <param name="DaysToLiquidity">Days to turn it into cash; null when the feed does not say, which counts as not liquid.</param>
public sealed record ReserveAccount(
    string AccountId,
    AssetClass AssetClass,
    string Currency,
    UsdAmount Amount,
    string Bank,
    int? DaysToLiquidity);
