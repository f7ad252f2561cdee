namespace Usd1Reconciler.Core.Reserves;

/// <summary>What a reserve account holds. Wire names: cash, tbills, reverse_repo, mmf, other.</summary>
public enum AssetClass
{
    Cash,
    TreasuryBills,
    ReverseRepo,
    MoneyMarketFund,
    Other,
}
