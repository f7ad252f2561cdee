using Usd1Reconciler.Core.Amounts;

namespace Usd1Reconciler.Core.Redemptions;

/// <summary>
/// Redemption velocity and liquidity runway of a conclusive reconciliation (issue 17).
/// Runway = liquid reserves ÷ (net redemptions over the runway window ÷ its length in days), in days, rounded down to
/// two decimals; null ("unbounded") when the window redeemed nothing net — never a division by zero.
/// </summary>
/// <param name="Windows">Net redemptions per network and in total (<see cref="NetRedemption.Total"/>) for each window, network order as configured, total last.</param>
/// <param name="RunwayWindow">The window the rate, the runway and the surge are judged on.</param>
/// <param name="RunwayNetUsd">Total net redemptions over <paramref name="RunwayWindow"/>.</param>
/// <param name="LiquidUsd">Reserves liquid within LiquidityDays (business days under the calendar).</param>
/// <param name="RunwayDays">Days of cover as exact decimal text (two decimals, rounded down), or null when unbounded.</param>
/// <param name="PeakNetUsd">The largest total net redemptions over any runway-window span of the hours kept (at least the current one).</param>
/// <param name="ShareOfLiquidBps">RunwayNetUsd as a share of LiquidUsd in bps (toward zero); null when nothing is liquid.</param>
/// <param name="Surge">True when RunwayNetUsd exceeds a configured share of supply or of liquid reserves.</param>
public sealed record RunRisk(
    IReadOnlyList<NetRedemption> Windows,
    TimeSpan RunwayWindow,
    UsdAmount RunwayNetUsd,
    UsdAmount LiquidUsd,
    string? RunwayDays,
    UsdAmount PeakNetUsd,
    long? ShareOfLiquidBps,
    long SurgeShareOfSupplyBps,
    long SurgeShareOfLiquidBps,
    bool StressFromObservation,
    bool Surge);
