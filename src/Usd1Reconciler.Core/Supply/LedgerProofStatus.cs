namespace Usd1Reconciler.Core.Supply;

/// <summary>Outcome of comparing indexed supply with the chain's own total supply.</summary>
public enum LedgerProofStatus
{
    /// <summary>Σ final mints − Σ final burns equals the on-chain total supply at the same block/slot.</summary>
    Ok,

    /// <summary>The two differ: an event was missed, or the token changes supply without emitting one.</summary>
    Mismatch,

    /// <summary>No comparison at the current final block within the freshness budget: the figure is not vouched for.</summary>
    Stale,
}
