namespace Usd1Reconciler.Core.Reconciliation;

public enum ReconciliationVerdict
{
    /// <summary>Every input fresh and proven, and every rule holds.</summary>
    Covered,

    /// <summary>Every input fresh and proven, and at least one rule fails; the report says by how much.</summary>
    Undercollateralized,

    /// <summary>An input is stale, missing or failed its proof: nothing can be said, and the report names the input.</summary>
    Inconclusive,
}
