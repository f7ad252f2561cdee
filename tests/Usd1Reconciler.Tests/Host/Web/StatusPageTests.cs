using Usd1Reconciler.Core.Amounts;
using Usd1Reconciler.Core.Reconciliation;
using Usd1Reconciler.Reconciliation;
using Usd1Reconciler.Web;

namespace Usd1Reconciler.Tests.Host.Web;

public sealed class StatusPageTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 1, 10, 0, 0, TimeSpan.Zero);

    [Test]
    public void ProvenanceLine_InconclusiveAfterUndercollateralized_SinceAndLastShortfallGrouped()
    {
        var last = new ConclusiveResult(12, new string('a', 64), ReconciliationVerdict.Undercollateralized, Now.AddHours(-3),
            UsdAmount.Parse("78000000"), UsdAmount.Parse("28919625.94"), UsdAmount.Parse("49080374.055"), 3707);
        var provenance = new ReconciliationProvenance(null, null, last, Now.AddMinutes(-90));

        var line = StatusPage.ProvenanceLine(provenance, Now);

        Assert.That(line, Is.EqualTo(
            "INCONCLUSIVE since 2026-12-01 08:30:00Z (1 h 30 min ago) — last conclusive: UNDERCOLLATERALIZED, shortfall 49,080,374.06 USD at 2026-12-01 07:00:00Z (report #12, 3 h 0 min ago)"));
    }

    [Test]
    public void ProvenanceLine_InconclusiveAfterCovered_CoveragePercent()
    {
        var last = new ConclusiveResult(3, new string('b', 64), ReconciliationVerdict.Covered, Now.AddMinutes(-10),
            UsdAmount.Parse("100"), UsdAmount.Parse("101.5"), UsdAmount.Zero, 10_150);

        var line = StatusPage.ProvenanceLine(new ReconciliationProvenance(null, null, last, Now.AddMinutes(-5)), Now);

        Assert.That(line, Does.EndWith("last conclusive: COVERED, coverage 101.50 % at 2026-12-01 09:50:00Z (report #3, 10 min 0 s ago)"));
    }

    [Test]
    public void ProvenanceLine_NoConclusiveYet_SaysSoAndShowsNoFigure()
    {
        var line = StatusPage.ProvenanceLine(new ReconciliationProvenance(null, null, null, Now.AddSeconds(-30)), Now);

        Assert.That(line, Is.EqualTo("INCONCLUSIVE since 2026-12-01 09:59:30Z (30 s ago) — no conclusive reconciliation yet"));
    }

    [TestCase("49080374.055", "49,080,374.06")]
    [TestCase("0.004999", "0.00")]
    [TestCase("1000", "1,000.00")]
    [TestCase("-2.5", "-2.50")]
    public void UsdTextGrouped_Amount_GroupedToCents(string amount, string expected) =>
        Assert.That(UsdText.Grouped(UsdAmount.Parse(amount)), Is.EqualTo(expected));
}
