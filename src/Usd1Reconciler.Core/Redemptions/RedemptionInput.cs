namespace Usd1Reconciler.Core.Redemptions;

/// <summary>What a reconciliation needs to judge redemption velocity and runway.</summary>
/// <param name="Hours">Hourly aggregates of final events of every network, at least as far back as the longest window and the peak lookback.</param>
/// <param name="Windows">The rolling windows to report (e.g. 24 h, 48 h, 7 d); whole hours.</param>
/// <param name="RunwayWindow">The window the runway rate and the surge rule are judged on (48 h by default).</param>
/// <param name="SurgeShareOfSupplyBps">Surge threshold: net redemptions over the runway window above this share of circulating supply; 0 = off.</param>
/// <param name="SurgeShareOfLiquidBps">Surge threshold: net redemptions over the runway window above this share of liquid reserves; 0 = off.</param>
/// <param name="StressFromObservation">When true the liquidity rule requires the larger of its configured share and the observed peak runway-window net redemptions.</param>
public sealed record RedemptionInput(
    IReadOnlyList<RedemptionHour> Hours,
    IReadOnlyList<TimeSpan> Windows,
    TimeSpan RunwayWindow,
    long SurgeShareOfSupplyBps,
    long SurgeShareOfLiquidBps,
    bool StressFromObservation);
