namespace Usd1Reconciler.Configuration;

/// <summary>Where reserve figures come from. Optional for <c>index</c>/<c>supply</c>; <c>reconcile</c> and <c>run</c> need at least one feed.</summary>
public sealed class ReservesOptions
{
    /// <summary>The custodian feeds; their snapshots in force are summed into the reserves.</summary>
    public List<ReserveFeedOptions> Feeds { get; set; } = [];

    /// <summary><value>Default 2 min.</value> How far in the future a snapshot's as-of time may lie (clock skew between custodian and us) before it is refused.</summary>
    [DurationRange("00:00:00")]
    public TimeSpan MaxClockSkew { get; set; } = TimeSpan.FromMinutes(2);
}
