namespace Usd1Reconciler.Core.Anomalies;

/// <summary>Whether the issuer expects supply to move on a network at all.</summary>
public enum NetworkStatus
{
    Active,
    Paused,
    Deprecated,
}
