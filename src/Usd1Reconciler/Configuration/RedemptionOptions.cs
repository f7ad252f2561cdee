namespace Usd1Reconciler.Configuration;

/// <summary>
/// Redemption velocity, liquidity runway and the surge thresholds (issue 17), under <c>Reconciliation:Redemptions</c>.
/// Validated by <see cref="Validate"/> on its own, so it needs nothing from the rest of the configuration.
/// </summary>
public sealed class RedemptionOptions
{
    private static readonly TimeSpan[] DefaultWindows = [TimeSpan.FromHours(24), TimeSpan.FromHours(48), TimeSpan.FromDays(7)];

    /// <summary><value>Default 24 h, 48 h, 7 d.</value> Rolling windows of net redemptions (burns − mints of final events) reported and exported; whole hours.</summary>
    public List<TimeSpan>? Windows { get; set; }

    /// <summary><value>Default 48 h.</value> The window the runway rate, the surge rule and the observed peak are judged on; whole hours.</summary>
    public TimeSpan RunwayWindow { get; set; } = TimeSpan.FromHours(48);

    /// <summary><value>Default 1000 (10 %).</value> RedemptionSurge when runway-window net redemptions exceed this share of circulating supply, in bps; 0 = off.</summary>
    public long SurgeShareOfSupplyBps { get; set; } = 1_000;

    /// <summary><value>Default 5000 (50 %).</value> RedemptionSurge when runway-window net redemptions exceed this share of liquid reserves, in bps; 0 = off.</summary>
    public long SurgeShareOfLiquidBps { get; set; } = 5_000;

    /// <summary><value>Default false.</value> When true the liquidity rule requires the larger of LiquidityShareBps of circulating and the observed peak runway-window net redemptions.</summary>
    public bool StressFromObservation { get; set; }

    /// <summary><value>Default 90 days.</value> How far back the observed peak is looked for.</summary>
    public TimeSpan PeakLookback { get; set; } = TimeSpan.FromDays(90);

    /// <summary>The configured windows, or the defaults when none are configured (a bound list would append to defaults).</summary>
    public IReadOnlyList<TimeSpan> WindowsOrDefault() => Windows is { Count: > 0 } windows ? windows : DefaultWindows;

    /// <summary>Problems, each naming its key.</summary>
    public IEnumerable<string> Validate(string prefix)
    {
        foreach (var window in WindowsOrDefault().Append(RunwayWindow))
        {
            if (window <= TimeSpan.Zero || window.Ticks % TimeSpan.TicksPerHour != 0)
            {
                yield return $"{prefix}:Windows / RunwayWindow: {window} is not a positive whole number of hours (the aggregates are hourly)";
            }
        }

        if (SurgeShareOfSupplyBps is < 0 or > 1_000_000)
        {
            yield return $"{prefix}:SurgeShareOfSupplyBps: must be between 0 and 1000000";
        }

        if (SurgeShareOfLiquidBps is < 0 or > 1_000_000)
        {
            yield return $"{prefix}:SurgeShareOfLiquidBps: must be between 0 and 1000000";
        }

        if (PeakLookback < RunwayWindow)
        {
            yield return $"{prefix}:PeakLookback: must be at least RunwayWindow ({RunwayWindow})";
        }
    }
}
