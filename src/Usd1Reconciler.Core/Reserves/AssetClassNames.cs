namespace Usd1Reconciler.Core.Reserves;

/// <summary>The wire names of <see cref="AssetClass"/>, shared by feeds, the store and reports.</summary>
public static class AssetClassNames
{
    public static string ToWire(AssetClass assetClass) => assetClass switch
    {
        AssetClass.Cash => "cash",
        AssetClass.TreasuryBills => "tbills",
        AssetClass.ReverseRepo => "reverse_repo",
        AssetClass.MoneyMarketFund => "mmf",
        AssetClass.Other => "other",
        _ => throw new ArgumentOutOfRangeException(nameof(assetClass), assetClass, "unknown asset class"),
    };

    public static bool TryParse(string? text, out AssetClass assetClass)
    {
        assetClass = AssetClass.Other;
        switch (text?.Trim().ToLowerInvariant())
        {
            case "cash":
                assetClass = AssetClass.Cash;
                return true;
            case "tbills" or "t-bills" or "treasury_bills":
                assetClass = AssetClass.TreasuryBills;
                return true;
            case "reverse_repo" or "reverse-repo":
                assetClass = AssetClass.ReverseRepo;
                return true;
            case "mmf" or "money_market_fund":
                assetClass = AssetClass.MoneyMarketFund;
                return true;
            case "other":
                return true;
            default:
                return false;
        }
    }
}
