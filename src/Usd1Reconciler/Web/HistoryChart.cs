using System.Globalization;
using System.Numerics;
using System.Text;
using static Usd1Reconciler.Web.Html;

namespace Usd1Reconciler.Web;

/// <summary>
/// One inline SVG line chart of a figure over a time window — no script, no font or file from elsewhere, so the page
/// works offline. Values are exact integers (atto-dollars, bps) and stay integers down to the pixel: positions are
/// integer divisions, never a double. The y axis runs between round steps (1, 2 or 5 × 10^k) around the data and the
/// reference line, labelled in people units by <see cref="ChartSeries.Label"/>; the x axis in UTC.
/// A report without a figure (Inconclusive) breaks the line and is marked along the bottom; so is a gap longer than
/// 1/24 of the window between two reports (the daemon was not reconciling): the line never bridges what was not seen.
/// </summary>
internal static class HistoryChart
{
    private const int Width = 640;
    private const int Height = 240;
    private const int Left = 6;
    private const int Right = Width - 6;
    private const int Top = 22;
    private const int Bottom = 184;

    public static void Render(StringBuilder html, ChartSeries series, DateTimeOffset from, DateTimeOffset to)
    {
        var points = series.Points.Where(p => p.At >= from && p.At <= to).OrderBy(p => p.At).ToList();
        var values = points.Where(p => p.Value is not null).Select(p => p.Value!.Value).ToList();
        var inconclusive = points.Count(p => p.Value is null);
        html.Append(CultureInfo.InvariantCulture, $"<figure class=\"chart\" id=\"{series.Id}\"><figcaption>{E(series.Title)}</figcaption>")
            .Append(CultureInfo.InvariantCulture, $"<svg viewBox=\"0 0 {Width} {Height}\" role=\"img\" aria-label=\"{E(series.Title)}\" data-reports=\"{points.Count}\" data-inconclusive=\"{inconclusive}\">")
            .Append(CultureInfo.InvariantCulture, $"<rect class=\"plot\" x=\"{Left}\" y=\"{Top}\" width=\"{Right - Left}\" height=\"{Bottom - Top}\"/>");
        if (values.Count == 0)
        {
            html.Append(CultureInfo.InvariantCulture, $"<text class=\"empty\" x=\"{Width / 2}\" y=\"{(Top + Bottom) / 2}\" text-anchor=\"middle\">no conclusive report in this window</text>");
        }
        else
        {
            var (lo, hi, step) = Scale(Min(values, series.Reference), Max(values, series.Reference));
            for (var tick = lo; tick <= hi; tick += step)
            {
                var y = Y(tick, lo, hi);
                html.Append(CultureInfo.InvariantCulture, $"<line class=\"grid\" x1=\"{Left}\" x2=\"{Right}\" y1=\"{y}\" y2=\"{y}\"/><text class=\"ylabel\" x=\"{Left + 4}\" y=\"{y - 3}\">{E(series.Label(tick))}</text>");
            }

            if (series.Reference is { } reference)
            {
                var y = Y(reference, lo, hi);
                html.Append(CultureInfo.InvariantCulture, $"<line class=\"reference\" x1=\"{Left}\" x2=\"{Right}\" y1=\"{y}\" y2=\"{y}\"/><text class=\"reflabel\" x=\"{Right - 4}\" y=\"{y - 3}\" text-anchor=\"end\">{E(series.ReferenceLabel)}</text>");
            }

            Lines(html, points, from, to, lo, hi);
        }

        XAxis(html, from, to);
        html.Append("</svg>");
        var latest = points.LastOrDefault(p => p.Value is not null);
        html.Append("<p class=\"muted chart-note\">")
            .Append(latest is null ? "no figure" : $"latest {Figure(series.Id + ":latest", series.Label(latest.Value!.Value))} at {E(Core.Presentation.UtcText.Format(latest.At))}")
            .Append(CultureInfo.InvariantCulture, $" · {points.Count} reports, {inconclusive} inconclusive (gaps, marked orange)</p></figure>");
    }

    /// <summary>Round bounds around [min, max]: the smallest step of 1, 2 or 5 × 10^k giving at most four intervals.</summary>
    internal static (BigInteger Lo, BigInteger Hi, BigInteger Step) Scale(BigInteger min, BigInteger max)
    {
        var range = max - min;
        if (range.IsZero)
        {
            range = BigInteger.Max(BigInteger.Abs(max) / 100, BigInteger.One);
        }

        var step = BigInteger.Zero;
        for (var power = BigInteger.One; step.IsZero; power *= 10)
        {
            foreach (var mantissa in new[] { 1, 2, 5 })
            {
                var candidate = power * mantissa;
                if (step.IsZero && (range + candidate - 1) / candidate <= 4)
                {
                    step = candidate;
                }
            }
        }

        var lo = FloorDiv(min, step) * step;
        var hi = -FloorDiv(-max, step) * step;
        if (lo == hi)
        {
            lo -= step;
            hi += step;
        }

        return (lo, hi, step);
    }

    private static void Lines(StringBuilder html, List<ChartPoint> points, DateTimeOffset from, DateTimeOffset to, BigInteger lo, BigInteger hi)
    {
        var longestGap = (to - from) / 24;
        var segment = new List<string>();
        var lastX = long.MinValue;
        DateTimeOffset? previous = null;
        foreach (var point in points)
        {
            var x = X(point.At, from, to);
            if (point.Value is null || (previous is { } p && point.At - p > longestGap))
            {
                Flush(html, segment);
                lastX = long.MinValue;
            }

            previous = point.At;
            if (point.Value is not { } v)
            {
                html.Append(CultureInfo.InvariantCulture, $"<rect class=\"gap\" x=\"{x - 1}\" y=\"{Bottom - 5}\" width=\"3\" height=\"5\"/>");
                continue;
            }

            // One vertex per pixel column (the newest report in it): a week of minute-by-minute reports stays a few KB.
            if (x == lastX)
            {
                segment[^1] = $"{x},{Y(v, lo, hi)}";
                continue;
            }

            segment.Add($"{x},{Y(v, lo, hi)}");
            lastX = x;
        }

        Flush(html, segment);
    }

    private static void Flush(StringBuilder html, List<string> segment)
    {
        if (segment.Count == 1)
        {
            var xy = segment[0].Split(',');
            html.Append(CultureInfo.InvariantCulture, $"<circle class=\"dot\" cx=\"{xy[0]}\" cy=\"{xy[1]}\" r=\"2.5\"/>");
        }
        else if (segment.Count > 1)
        {
            html.Append("<polyline class=\"line\" points=\"").Append(string.Join(' ', segment)).Append("\"/>");
        }

        segment.Clear();
    }

    private static void XAxis(StringBuilder html, DateTimeOffset from, DateTimeOffset to)
    {
        var window = to - from;
        var step = window <= TimeSpan.FromDays(1) ? TimeSpan.FromHours(6) : TimeSpan.FromDays(1);
        var format = step < TimeSpan.FromDays(1) ? "HH:mm" : "MM-dd";
        var first = new DateTimeOffset(from.UtcTicks - from.UtcTicks % step.Ticks, TimeSpan.Zero) + step;
        for (var tick = first; tick < to; tick += step)
        {
            var x = X(tick, from, to);
            html.Append(CultureInfo.InvariantCulture, $"<line class=\"tick\" x1=\"{x}\" x2=\"{x}\" y1=\"{Bottom}\" y2=\"{Bottom + 4}\"/><text class=\"xlabel\" x=\"{x}\" y=\"{Bottom + 18}\" text-anchor=\"middle\">{tick.UtcDateTime.ToString(format, CultureInfo.InvariantCulture)}</text>");
        }

        html.Append(CultureInfo.InvariantCulture, $"<text class=\"xlabel\" x=\"{Right}\" y=\"{Height - 2}\" text-anchor=\"end\">UTC, {E(Core.Presentation.DurationText.Format(window))} to {to.UtcDateTime.ToString("MM-dd HH:mm", CultureInfo.InvariantCulture)}</text>");
    }

    private static long X(DateTimeOffset at, DateTimeOffset from, DateTimeOffset to) =>
        Left + (long)((Int128)(at - from).Ticks * (Right - Left) / (to - from).Ticks);

    private static int Y(BigInteger value, BigInteger lo, BigInteger hi) =>
        Bottom - (int)((value - lo) * (Bottom - Top) / (hi - lo));

    private static BigInteger Min(List<BigInteger> values, BigInteger? reference) =>
        reference is { } r ? BigInteger.Min(values.Min(), r) : values.Min();

    private static BigInteger Max(List<BigInteger> values, BigInteger? reference) =>
        reference is { } r ? BigInteger.Max(values.Max(), r) : values.Max();

    private static BigInteger FloorDiv(BigInteger a, BigInteger b)
    {
        var q = BigInteger.DivRem(a, b, out var r);
        return r.Sign < 0 ? q - 1 : q;
    }
}
