using Usd1Reconciler.Core.Amounts;
using Usd1Reconciler.Core.Reconciliation;
using Usd1Reconciler.Reconciliation;
using Usd1Reconciler.Web;

namespace Usd1Reconciler.Tests.Host.Web;

public sealed class VerdictSectionTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 1, 10, 0, 0, TimeSpan.Zero);

    [Test]
    public void ProvenanceLine_InconclusiveAfterUndercollateralized_SinceAndLastShortfallExact()
    {
        var last = new ConclusiveResult(12, new string('a', 64), ReconciliationVerdict.Undercollateralized, Now.AddHours(-3),
            UsdAmount.Parse("78000000"), UsdAmount.Parse("28919625.94"), UsdAmount.Parse("49080374.055"), 3707);
        var provenance = new ReconciliationProvenance(null, null, last, Now.AddMinutes(-90));

        var line = VerdictSection.ProvenanceLine(provenance, Now);

        Assert.That(line, Is.EqualTo(
            "INCONCLUSIVE since 2026-12-01 08:30:00 UTC (1 h 30 min ago) — last conclusive: UNDERCOLLATERALIZED, shortfall 49,080,374.055 USD at 2026-12-01 07:00:00 UTC (report #12, 3 h ago)"));
    }

    [Test]
    public void ProvenanceLine_InconclusiveAfterCovered_CoveragePercent()
    {
        var last = new ConclusiveResult(3, new string('b', 64), ReconciliationVerdict.Covered, Now.AddMinutes(-10),
            UsdAmount.Parse("100"), UsdAmount.Parse("101.5"), UsdAmount.Zero, 10_150);

        var line = VerdictSection.ProvenanceLine(new ReconciliationProvenance(null, null, last, Now.AddMinutes(-5)), Now);

        Assert.That(line, Does.EndWith("last conclusive: COVERED, coverage 101.50 % at 2026-12-01 09:50:00 UTC (report #3, 10 min ago)"));
    }

    [Test]
    public void ProvenanceLine_NoConclusiveYet_SaysSoAndShowsNoFigure()
    {
        var line = VerdictSection.ProvenanceLine(new ReconciliationProvenance(null, null, null, Now.AddSeconds(-30)), Now);

        Assert.That(line, Is.EqualTo("INCONCLUSIVE since 2026-12-01 09:59:30 UTC (30 s ago) — no conclusive reconciliation yet"));
    }
}
