using System.Globalization;
using System.Numerics;
using System.Text.Json.Nodes;
using Microsoft.Data.Sqlite;
using Usd1Reconciler.Configuration;
using Usd1Reconciler.Core.Amounts;
using Usd1Reconciler.Core.Reconciliation;
using Usd1Reconciler.Reconciliation;
using Usd1Reconciler.Storage.Sqlite;
using Usd1Reconciler.Tests.Core.Reconciliation;

namespace Usd1Reconciler.Tests.Host.Reconciliation;

public sealed class TransparencyReportTests
{
    private string _directory = null!;

    [SetUp]
    public void SetUp() => _directory = Directory.CreateTempSubdirectory("usd1rec-publish-").FullName;

    [TearDown]
    public void TearDown()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }

    private async Task<(IReadOnlyList<StoredReport> Reports, string Anchor)> ChainAsync(params ReconciliationReport[] reports)
    {
        var store = new SqliteReconciliationStore(SqliteSupplyStore.Open(Path.Combine(_directory, "store.db"), TimeProvider.System));
        var at = ReconcilerRunRiskTests.BurstTime;
        foreach (var report in reports)
        {
            at = at.AddMinutes(1);
            await store.AppendReportAsync(report.Kind, at, report.EvaluatedAt, ReportCanonicalForm.VerdictText(report.Verdict), report.Shortfall?.ToString() ?? "", ReportCanonicalForm.Write(report, at), CancellationToken.None);
        }

        return await store.GetChainAsync(CancellationToken.None);
    }

    /// <summary>The page's recipe, done as an outside reader would, from the published JSON alone.</summary>
    private static (bool HashAgrees, long CoverageBps) Recompute(JsonNode published)
    {
        var report = published["report"]!;
        var canonicalText = report["canonical"]!.GetValue<string>();
        var hashAgrees = ReportChain.Hash(report["previousHash"]!.GetValue<string>(), canonicalText) == report["hash"]!.GetValue<string>();
        var canonical = JsonNode.Parse(canonicalText)!;
        var circulating = canonical["networks"]!.AsArray().Aggregate(UsdAmount.Zero, (s, n) =>
            s + UsdAmount.FromTokenUnits(BigInteger.Parse(n!["circulating"]!.GetValue<string>(), CultureInfo.InvariantCulture), n["decimals"]!.GetValue<int>()));
        var reserves = canonical["feeds"]!.AsArray().SelectMany(f => f!["snapshot"]!["accounts"]!.AsArray())
            .Aggregate(UsdAmount.Zero, (s, a) => s + UsdAmount.Parse(a!["amountUsd"]!.GetValue<string>()));
        return (hashAgrees, (long)(reserves.Atto * 10_000 / circulating.Atto));
    }

    [Test]
    public async Task Build_ConclusiveChain_CoverageRecomputedFromJsonAndHashAgrees()
    {
        var (reports, anchor) = await ChainAsync(ReconcilerRunRiskTests.BurstReport(), ReconcilerRunRiskTests.BurstReport());

        var (json, html) = TransparencyReport.Build(reports, anchor, 0, new PublishOptions(), ReconcilerRunRiskTests.BurstTime.AddHours(1));
        var published = JsonNode.Parse(json)!;
        var (hashAgrees, coverage) = Recompute(published);

        Assert.Multiple(() =>
        {
            Assert.That(published["status"]!.GetValue<string>(), Is.EqualTo("CONCLUSIVE"));
            Assert.That(published["report"]!["position"]!.GetValue<long>(), Is.EqualTo(2));
            Assert.That(published["chain"]!["headHash"]!.GetValue<string>(), Is.EqualTo(reports[^1].Hash));
            Assert.That(hashAgrees, Is.True);
            Assert.That(coverage, Is.EqualTo(published["report"]!["coverageBps"]!.GetValue<long>()).And.EqualTo(9_000), "900 reserves against 1000 circulating");
            Assert.That(published["report"]!["runRisk"]!["runwayDays"]!.GetValue<string>(), Is.EqualTo("6.00"));
            Assert.That(html, Does.Contain("<td class=\"num\" id=\"runway\">6.00</td>").And.Contain("Trust Co"));
        });
    }

    [Test]
    public async Task Build_FigureEditedInPublishedJson_RecomputationDisagreesWithPublishedHash()
    {
        var (reports, anchor) = await ChainAsync(ReconcilerRunRiskTests.BurstReport());
        var (json, _) = TransparencyReport.Build(reports, anchor, 0, new PublishOptions(), ReconcilerRunRiskTests.BurstTime.AddHours(1));
        var published = JsonNode.Parse(json)!;
        var canonical = published["report"]!["canonical"]!.GetValue<string>();

        published["report"]!["canonical"] = canonical.Replace("\"amountUsd\":\"900\"", "\"amountUsd\":\"1900\"", StringComparison.Ordinal);
        var (hashAgrees, coverage) = Recompute(published);

        Assert.Multiple(() =>
        {
            Assert.That(canonical, Does.Contain("\"amountUsd\":\"900\""), "the edit must hit a real figure");
            Assert.That(coverage, Is.EqualTo(19_000), "the edited figure changes the recomputed coverage");
            Assert.That(hashAgrees, Is.False, "and no longer hashes to the published hash");
        });
    }

    [Test]
    public async Task Build_BrokenChainOrInconclusiveNewest_SaidAtTheTop()
    {
        var burst = ReconcilerRunRiskTests.BurstReport();
        var (reports, anchor) = await ChainAsync(burst, burst with { Verdict = ReconciliationVerdict.Inconclusive, CirculatingSupply = null, Reserves = null, Shortfall = null, CoverageBps = null, Rules = [], RunRisk = null });
        var edited = reports.Select((r, i) => i == 0 ? r with { Canonical = r.Canonical.Replace("900", "901", StringComparison.Ordinal) } : r).ToList();

        var (inconclusive, _) = TransparencyReport.Build(reports, anchor, 0, new PublishOptions(), burst.EvaluatedAt);
        var (broken, brokenHtml) = TransparencyReport.Build(edited, anchor, 0, new PublishOptions(), burst.EvaluatedAt);

        Assert.Multiple(() =>
        {
            Assert.That(JsonNode.Parse(inconclusive)!["status"]!.GetValue<string>(), Does.StartWith("INCONCLUSIVE"));
            Assert.That(JsonNode.Parse(inconclusive)!["report"]!["id"]!.GetValue<long>(), Is.EqualTo(reports[0].Id), "the figures shown are the last conclusive report's");
            Assert.That(JsonNode.Parse(broken)!["status"]!.GetValue<string>(), Does.StartWith("CHAIN BROKEN"));
            Assert.That(JsonNode.Parse(broken)!["chain"]!["intact"]!.GetValue<bool>(), Is.False);
            Assert.That(brokenHtml, Does.Contain("CHAIN BROKEN"));
        });
    }

    [Test]
    public async Task Build_RedactNames_NamesReplacedAndCanonicalWithheld()
    {
        var (reports, anchor) = await ChainAsync(ReconcilerRunRiskTests.BurstReport());

        var (json, html) = TransparencyReport.Build(reports, anchor, 0, new PublishOptions { RedactNames = true }, ReconcilerRunRiskTests.BurstTime);

        Assert.Multiple(() =>
        {
            Assert.That(json + html, Does.Not.Contain("Trust Co").And.Not.Contain("Bank A"));
            Assert.That(JsonNode.Parse(json)!["report"]!["accounts"]![0]!["custodian"]!.GetValue<string>(), Is.EqualTo("custodian 1"));
            Assert.That(JsonNode.Parse(json)!["report"]!["canonical"], Is.Null);
        });
    }
}
