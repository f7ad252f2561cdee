using Usd1Reconciler.Core.Amounts;
using Usd1Reconciler.Core.Reconciliation;
using Usd1Reconciler.Reconciliation;
using Usd1Reconciler.Tests.Core.Reconciliation;

namespace Usd1Reconciler.Tests.Host.Reconciliation;

public sealed class ReportFormatterTests
{
    private static readonly DateTimeOffset Now = new(2025, 6, 30, 12, 0, 0, TimeSpan.Zero);

    private static StoredReport Stored(long id, string canonical, string verdict, string shortfall, DateTimeOffset at) =>
        new(id, "scheduled", at, at, verdict, shortfall, canonical, ReportChain.GenesisHash, ReportChain.Hash(ReportChain.GenesisHash, canonical));

    private static StoredReport NewInconclusive()
    {
        var last = new ConclusiveResult(41, new string('c', 64), ReconciliationVerdict.Undercollateralized, Now.AddHours(-3),
            UsdAmount.Parse("78000000"), UsdAmount.Parse("28919625.94"), UsdAmount.Parse("49080374.06"), 3707);
        var report = ReportCanonicalFormTests.Sample("2.5", TimeSpan.FromHours(2), last: last, since: Now.AddMinutes(-40));
        return Stored(42, ReportCanonicalForm.Write(report, Now), "inconclusive", "", Now);
    }

    [Test]
    public void Summary_InconclusiveFormatTwo_NoFigureAndTheLastConclusiveResult()
    {
        var text = ReportFormatter.Summary(NewInconclusive());

        Assert.Multiple(() =>
        {
            Assert.That(text, Does.Contain("report 42 (scheduled) at 2025-06-30 12:00:00 UTC: INCONCLUSIVE"));
            Assert.That(text, Does.Contain("  coverage:           –\n").And.Contain("  shortfall:          –\n"));
            Assert.That(text, Does.Contain("  inconclusive since: 2025-06-30 11:20:00 UTC"));
            Assert.That(text, Does.Contain(
                "  last conclusive:    report 41 UNDERCOLLATERALIZED evaluated 2025-06-30 09:00:00 UTC: coverage 37.07 %, shortfall 49,080,374.06 USD, circulating 78,000,000.00 USD, reserves 28,919,625.94 USD"));
            Assert.That(text, Does.Contain("  input: feed custodian:"), "the failing input is named");
        });
    }

    [Test]
    public void Summary_FormatOneInconclusiveWithPartialSum_NoFigureShown()
    {
        var old = Stored(5, ReportCanonicalFormTests.OldInconclusiveWithPartialSum, "inconclusive", "0", Now.AddHours(1));

        var text = ReportFormatter.Summary(old);

        Assert.Multiple(() =>
        {
            Assert.That(text, Does.Not.Contain("2000000").And.Not.Contain("2,000,000"), "base units summed as dollars by the previous version stay unshown");
            Assert.That(text, Does.Not.Contain("0.00 %"));
            Assert.That(text, Does.Contain("input: network eth: token decimals could not be read"));
        });
    }

    [Test]
    public void CsvAndTable_InconclusiveRows_FiguresBlank_ConclusiveRowsExact()
    {
        var covered = Stored(1, ReportCanonicalFormTests.OldCovered, "covered", "0", Now);
        var oldInconclusive = Stored(2, ReportCanonicalFormTests.OldInconclusiveWithPartialSum, "inconclusive", "0", Now.AddHours(1));

        var csv = ReportFormatter.Csv([covered, oldInconclusive, NewInconclusive()]).Split('\n');
        var table = ReportFormatter.Table([oldInconclusive]);

        Assert.Multiple(() =>
        {
            Assert.That(csv[1], Does.StartWith("1,2025-06-30T12:00:00.0000000Z,scheduled,covered,2,2.5,0,12500,"));
            Assert.That(csv[2], Does.StartWith("2,2025-06-30T13:00:00.0000000Z,scheduled,inconclusive,,,,,"), "no circulating, reserves, shortfall or coverage for an inconclusive report");
            Assert.That(csv[3], Does.StartWith("42,2025-06-30T12:00:00.0000000Z,scheduled,inconclusive,,,,,"));
            Assert.That(table, Does.Contain("inconclusive").And.Contain("–"));
        });
    }

    [Test]
    public void Summary_Covered_FiguresForPeople()
    {
        var covered = Stored(1, ReportCanonicalFormTests.OldCovered, "covered", "0", Now);

        var text = ReportFormatter.Summary(covered);

        Assert.Multiple(() =>
        {
            Assert.That(text, Does.Contain("report 1 (scheduled) at 2025-06-30 12:00:00 UTC: COVERED"));
            Assert.That(text, Does.Contain("  circulating supply: 2.00 USD\n"));
            Assert.That(text, Does.Contain("  reserves:           2.50 USD\n"));
            Assert.That(text, Does.Contain("  coverage:           125.00 % (minimum 100.00 %)\n"));
            Assert.That(text, Does.Contain("  shortfall:          0.00 USD\n"));
        });
    }

    [Test]
    public void Markdown_ConclusiveAndInconclusive_PeopleUnitsAndNoFigureForInconclusive()
    {
        var undercollateralized = Stored(1, ReportCanonicalFormTests.OldUndercollateralized, "undercollateralized", "0.5", Now);

        var rows = ReportFormatter.Markdown([undercollateralized, NewInconclusive()]).Split('\n');

        Assert.Multiple(() =>
        {
            Assert.That(rows[2], Does.StartWith("| 1 | 2025-06-30 12:00:00 UTC | scheduled | undercollateralized | 2.00 USD | 1.50 USD | 0.50 USD | 75.00 % |"));
            Assert.That(rows[3], Does.StartWith("| 42 | 2025-06-30 12:00:00 UTC | scheduled | inconclusive | – | – | – | – |"));
        });
    }
}
