using System.Numerics;
using System.Text;
using Usd1Reconciler.Core.Presentation;
using Usd1Reconciler.Core.Reconciliation;

namespace Usd1Reconciler.Web;

/// <summary>
/// Circulating supply and coverage over the last 24 hours and 7 days, drawn from the stored reports (one point per
/// report, point-in-time reports left out). Circulating supply is charted in tokens (one token is one dollar, so the
/// report's USD figure is the token count) and coverage with the minimum as a dashed line.
/// </summary>
internal static class HistorySection
{
    public static readonly TimeSpan LongWindow = TimeSpan.FromDays(7);

    public static readonly TimeSpan ShortWindow = TimeSpan.FromDays(1);

    public static void Render(StringBuilder html, IReadOnlyList<ReportHistoryPoint> history, long? minimumCoverageBps, string symbol, DateTimeOffset now)
    {
        // Atto-dollars are tokens at 18 decimals: the same exact formatter labels the axis as the tables.
        var tokens = new TokenFormat(UsdAmountScale, symbol);
        var supply = history.Select(p => new ChartPoint(p.EvaluatedAt, p.CirculatingSupply?.Atto)).ToList();
        var coverage = history.Select(p => new ChartPoint(p.EvaluatedAt, p.CoverageBps is { } bps ? new BigInteger(bps) : null)).ToList();
        string Percent(BigInteger bps) => PercentText.FromBps((long)bps);
        BigInteger? minimum = minimumCoverageBps is { } m ? new BigInteger(m) : null;
        var minimumLabel = minimumCoverageBps is { } min ? "minimum " + PercentText.FromBps(min) : "";

        html.Append("<section id=\"history-section\"><h2>History</h2><div class=\"charts\">");
        HistoryChart.Render(html, new ChartSeries("supply-24h", "Circulating supply, last 24 h", supply, v => tokens.Format(v)), now - ShortWindow, now);
        HistoryChart.Render(html, new ChartSeries("supply-7d", "Circulating supply, last 7 days", supply, v => tokens.Format(v)), now - LongWindow, now);
        HistoryChart.Render(html, new ChartSeries("coverage-24h", "Coverage, last 24 h", coverage, Percent, minimum, minimumLabel), now - ShortWindow, now);
        HistoryChart.Render(html, new ChartSeries("coverage-7d", "Coverage, last 7 days", coverage, Percent, minimum, minimumLabel), now - LongWindow, now);
        html.Append("</div></section>");
    }

    private const int UsdAmountScale = Core.Amounts.UsdAmount.Scale;
}
