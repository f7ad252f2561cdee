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
            Assert.That(html.ToString(), Does.Contain("<td data-label=\"network\">total</td><td data-label=\"window\">48h</td><td data-label=\"net redemptions\" class=\"num\">300.00 USD</td><td data-label=\"share of circulating\" class=\"num\">30.00 %</td>"));
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
}
