namespace Usd1Reconciler.Core.Governance;

/// <summary>Outcome of comparing the folded governance state with the chain's own view at the final block.</summary>
public enum GovernanceProofStatus
{
    /// <summary>Every fact read from the chain equals the folded state.</summary>
    Ok,

    /// <summary>At least one differs: a privileged change that emitted no event (or one the index missed).</summary>
    Mismatch,

    /// <summary>No comparison at the current final block: the state is not vouched for.</summary>
    Stale,
}
