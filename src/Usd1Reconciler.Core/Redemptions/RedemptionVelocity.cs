using System.Globalization;
using System.Numerics;
using Usd1Reconciler.Core.Amounts;

namespace Usd1Reconciler.Core.Redemptions;

/// <summary>
/// Rolling-window sums over hourly aggregates, pure. A window of length W at time t covers the hour t falls in and the
/// W/1h hours before it: hours are the aggregate's grain, and reaching back to the whole hour keeps every redemption of
/// the last W in (a window is W to W + 1 h long, never shorter, so a surge is not missed at an hour boundary).
/// Base units become USD by each network's own decimals before any sum across networks.
/// </summary>
public static class RedemptionVelocity
{
    /// <summary>The first hour a window of <paramref name="window"/> ending at <paramref name="asOf"/> covers.</summary>
    public static DateTimeOffset WindowStart(DateTimeOffset asOf, TimeSpan window) => HourOf(asOf) - window;

    public static DateTimeOffset HourOf(DateTimeOffset at)
    {
        var utc = at.ToUniversalTime();
        return new DateTimeOffset(utc.Year, utc.Month, utc.Day, utc.Hour, 0, 0, TimeSpan.Zero);
    }

    /// <summary>Net redemptions of one network (or all, when <paramref name="network"/> is null) in USD over the window.</summary>
    public static UsdAmount Net(IReadOnlyList<RedemptionHour> hours, IReadOnlyDictionary<string, int> decimals, DateTimeOffset asOf, TimeSpan window, string? network)
    {
        ArgumentNullException.ThrowIfNull(hours);
        ArgumentNullException.ThrowIfNull(decimals);
        var start = WindowStart(asOf, window);
        var end = HourOf(asOf);
        var sum = UsdAmount.Zero;
        foreach (var group in hours
                     .Where(h => h.HourStart >= start && h.HourStart <= end && (network is null || h.Network == network) && decimals.ContainsKey(h.Network))
                     .GroupBy(h => h.Network, StringComparer.Ordinal))
        {
            var units = group.Aggregate(BigInteger.Zero, (s, h) => s + h.NetRedeemed);
            sum += UsdAmount.FromTokenUnits(units, decimals[group.Key]);
        }

        return sum;
    }

    /// <summary>
    /// The largest total net redemptions over any span of <paramref name="window"/> (+ 1 h, as above) ending at an
    /// hour of <paramref name="hours"/> up to <paramref name="asOf"/>: a sliding sum over the hourly totals, never below
    /// zero (no redemptions is a peak of 0, not a negative one).
    /// </summary>
    public static UsdAmount Peak(IReadOnlyList<RedemptionHour> hours, IReadOnlyDictionary<string, int> decimals, DateTimeOffset asOf, TimeSpan window)
    {
        ArgumentNullException.ThrowIfNull(hours);
        ArgumentNullException.ThrowIfNull(decimals);
        var end = HourOf(asOf);
        var totals = hours
            .Where(h => h.HourStart <= end && decimals.ContainsKey(h.Network))
            .GroupBy(h => h.HourStart)
            .Select(g => (Hour: g.Key, Net: g.Aggregate(UsdAmount.Zero, (s, h) => s + UsdAmount.FromTokenUnits(h.NetRedeemed, decimals[h.Network]))))
            .OrderBy(t => t.Hour)
            .ToList();
        var peak = UsdAmount.Zero;
        var running = UsdAmount.Zero;
        var tail = 0;
        foreach (var (hour, net) in totals)
        {
            running += net;
            while (totals[tail].Hour < hour - window)
            {
                running -= totals[tail].Net;
                tail++;
            }

            peak = UsdAmount.Max(peak, running);
        }

        return peak;
    }

    /// <summary>Share of <paramref name="of"/> in bps, rounded toward zero; null when <paramref name="of"/> is not positive.</summary>
    public static long? ShareBps(UsdAmount amount, UsdAmount of) =>
        of.Sign <= 0 ? null : (long)BigInteger.Max(BigInteger.Min(BigInteger.Divide(amount.Atto * 10_000, of.Atto), long.MaxValue), long.MinValue);

    /// <summary>
    /// Days of cover: liquid ÷ (net ÷ window days) = liquid × window ÷ (net × 1 day), to two decimals rounded down;
    /// null when net is not positive (nothing is draining the reserves: the runway is unbounded).
    /// </summary>
    public static string? RunwayDays(UsdAmount liquid, UsdAmount net, TimeSpan window)
    {
        if (net.Sign <= 0)
        {
            return null;
        }

        var liquidAtto = BigInteger.Max(liquid.Atto, BigInteger.Zero);
        var hundredths = BigInteger.Divide(liquidAtto * window.Ticks * 100, net.Atto * TimeSpan.TicksPerDay);
        var whole = BigInteger.DivRem(hundredths, 100, out var fraction);
        return whole.ToString(CultureInfo.InvariantCulture) + "." + ((int)fraction).ToString("00", CultureInfo.InvariantCulture);
    }
}
