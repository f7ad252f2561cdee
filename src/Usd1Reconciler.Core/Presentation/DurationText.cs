using System.Globalization;

namespace Usd1Reconciler.Core.Presentation;

/// <summary>
/// Ages and budgets for people: the two largest units, each truncated ("31 s", "5 min 3 s", "2 h 5 min", "3 d 4 h"),
/// a zero second part left out ("10 min", "2 h"), below a second in milliseconds ("250 ms"). Truncation, not rounding:
/// an age is never shown older than it is, so "59 s" never reads as "1 min". A negative span (a time ahead of the
/// clock) keeps its sign.
/// </summary>
public static class DurationText
{
    public static string Format(TimeSpan span)
    {
        if (span < TimeSpan.Zero)
        {
            return "-" + Format(span.Duration());
        }

        if (span < TimeSpan.FromSeconds(1))
        {
            return span == TimeSpan.Zero ? "0 s" : Part((long)span.TotalMilliseconds, "ms");
        }

        if (span < TimeSpan.FromMinutes(1))
        {
            return Part((long)span.TotalSeconds, "s");
        }

        if (span < TimeSpan.FromHours(1))
        {
            return Pair((long)span.TotalMinutes, "min", span.Seconds, "s");
        }

        return span < TimeSpan.FromDays(1)
            ? Pair((long)span.TotalHours, "h", span.Minutes, "min")
            : Pair((long)span.TotalDays, "d", span.Hours, "h");
    }

    private static string Pair(long major, string majorUnit, int minor, string minorUnit) =>
        minor == 0 ? Part(major, majorUnit) : Part(major, majorUnit) + " " + Part(minor, minorUnit);

    private static string Part(long value, string unit) => value.ToString("#,##0", CultureInfo.InvariantCulture) + " " + unit;
}
