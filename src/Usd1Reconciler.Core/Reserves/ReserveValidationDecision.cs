namespace Usd1Reconciler.Core.Reserves;

public enum ReserveValidationDecision
{
    /// <summary>A newer, valid snapshot: it replaces the one in force.</summary>
    Accept,

    /// <summary>The same document as the one in force (same as-of, same bytes): nothing to store.</summary>
    Unchanged,

    /// <summary>Not usable; stored with its reason, and the snapshot in force stays.</summary>
    Reject,
}
