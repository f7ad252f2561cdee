namespace Usd1Reconciler.Core.Supply;

/// <summary>The two ways supply changes: tokens created (mint) or destroyed (burn).</summary>
public enum SupplyEventKind
{
    Mint,
    Burn,
}
