using System.Numerics;
using System.Text;
using Usd1Reconciler.Web;

namespace Usd1Reconciler.Tests.Host.Web;

public sealed class HistoryChartTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 1, 10, 0, 0, TimeSpan.Zero);

    [TestCase(12_345, 16_000, 12_000, 16_000, 1_000)]
    [TestCase(16_000, 16_000, 15_950, 16_050, 50)]
    [TestCase(0, 7, 0, 8, 2)]
    public void Scale_Range_RoundBoundsAtMostFourSteps(long min, long max, long lo, long hi, long step) =>
        Assert.That(HistoryChart.Scale(min, max), Is.EqualTo((new BigInteger(lo), new BigInteger(hi), new BigInteger(step))));

    [Test]
    public void Render_InconclusiveBetweenFigures_LineBrokenGapMarkedAxisInPeopleUnits()
    {
        var points = new List<ChartPoint>
        {
            new(Now.AddHours(-3), 10_000), new(Now.AddHours(-2), 10_100), new(Now.AddHours(-1), null), new(Now.AddMinutes(-30), 12_000), new(Now.AddMinutes(-10), 12_500),
        };
        var html = new StringBuilder();

        HistoryChart.Render(html, new ChartSeries("coverage-24h", "Coverage", points, v => Usd1Reconciler.Core.Presentation.PercentText.FromBps((long)v), 10_000, "minimum 100.00 %"), Now.AddDays(-1), Now);

        var text = html.ToString();
        Assert.Multiple(() =>
        {
            Assert.That(text.Split("<polyline").Length - 1, Is.EqualTo(2), "the Inconclusive report breaks the line in two");
            Assert.That(text, Does.Contain("<rect class=\"gap\""), "and is marked");
            Assert.That(text, Does.Contain(">100.00 %</text>").And.Contain(">130.00 %</text>"), "y labels in percent, round steps of 10 % around 100-125 %");
            Assert.That(text, Does.Contain(">minimum 100.00 %</text>"));
            Assert.That(text, Does.Contain(">12:00</text>").And.Contain(">18:00</text>"), "x labels every 6 h in UTC");
            Assert.That(text, Does.Contain("data-figure=\"coverage-24h:latest\">125.00 %<"));
            Assert.That(text, Does.Contain("data-reports=\"5\" data-inconclusive=\"1\""));
        });
    }

    [Test]
    public void Render_NoConclusiveReport_SaysSoAndDrawsNoLine()
    {
        var html = new StringBuilder();

        HistoryChart.Render(html, new ChartSeries("supply-7d", "Supply", [new ChartPoint(Now.AddHours(-1), null)], v => v.ToString(System.Globalization.CultureInfo.InvariantCulture)), Now.AddDays(-7), Now);

        Assert.That(html.ToString(), Does.Contain("no conclusive report in this window").And.Not.Contain("<polyline"));
    }
}
