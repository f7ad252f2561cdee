using System.Text;
using System.Text.Json;
using Usd1Reconciler.Core.Reconciliation;
using Usd1Reconciler.Tests.Core.Reconciliation;
using Usd1Reconciler.Web;

namespace Usd1Reconciler.Tests.Host.Web;

public sealed class RunRiskSectionTests
{
    [Test]
    public void Render_BurstReport_RunwaySurgeAndExactShares()
    {
        var report = ReconcilerRunRiskTests.BurstReport();
        using var document = JsonDocument.Parse(ReportCanonicalForm.Write(report, ReconcilerRunRiskTests.BurstTime));
        var html = new StringBuilder();

        RunRiskSection.Render(html, document.RootElement);

        Assert.Multiple(() =>
        {
            Assert.That(html.ToString(), Does.Contain("<span id=\"runway\">6.00 days</span>"));
            Assert.That(html.ToString(), Does.Contain("REDEMPTION SURGE"));
            Assert.That(html.ToString(), Does.Contain("<td>total</td><td>48h</td><td class=\"num\">300</td><td class=\"num\">30.00 %</td>"));
        });
    }

    [Test]
    public void Render_ReportWithoutRunRisk_Nothing()
    {
        using var document = JsonDocument.Parse("""{"format":1,"verdict":"covered"}""");
        var html = new StringBuilder();

        RunRiskSection.Render(html, document.RootElement);

        Assert.That(html.ToString(), Is.Empty, "a format-1 report has no run-risk figures to show");
    }

    [Test]
    public void Percent_Bps_ExactTwoDecimals()
    {
        Assert.Multiple(() =>
        {
            Assert.That(RunRiskSection.Percent(1234), Is.EqualTo("12.34 %"));
            Assert.That(RunRiskSection.Percent(-5), Is.EqualTo("-0.05 %"));
        });
    }
}
