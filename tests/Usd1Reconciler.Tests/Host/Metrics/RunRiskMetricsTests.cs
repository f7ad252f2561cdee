using System.Globalization;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Time.Testing;
using Usd1Reconciler.Core.Reconciliation;
using Usd1Reconciler.Metrics;
using Usd1Reconciler.Storage.Sqlite;
using Usd1Reconciler.Tests.Core.Reconciliation;

namespace Usd1Reconciler.Tests.Host.Metrics;

/// <summary>The run-risk gauges (issue 17) follow the latest conclusive report's runRisk object.</summary>
public sealed class RunRiskMetricsTests
{
    private string _directory = null!;

    [SetUp]
    public void SetUp() => _directory = Directory.CreateTempSubdirectory("usd1rec-runrisk-").FullName;

    [TearDown]
    public void TearDown()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }

    private static double? Value(string text, string series) =>
        text.Split('\n').Where(l => l.StartsWith(series + " ", StringComparison.Ordinal))
            .Select(l => (double?)double.Parse(l[(series.Length + 1)..], NumberStyles.Float, CultureInfo.InvariantCulture))
            .FirstOrDefault();

    private async Task<string> ExportAfterAsync(ReconciliationReport report)
    {
        var store = new SqliteReconciliationStore(SqliteSupplyStore.Open(Path.Combine(_directory, "store.db"), TimeProvider.System));
        var at = ReconcilerRunRiskTests.BurstTime;
        await store.AppendReportAsync("scheduled", at, report.EvaluatedAt, ReportCanonicalForm.VerdictText(report.Verdict), report.Shortfall?.ToString() ?? "", ReportCanonicalForm.Write(report, at), CancellationToken.None);
        var metrics = new ReconcilerMetrics(Prometheus.Metrics.NewCustomRegistry());
        await new ReconciliationMetricsRefresher(store, metrics, new Dictionary<string, TimeSpan>(), new FakeTimeProvider(at.AddMinutes(1))).RefreshAsync(CancellationToken.None);
        return await metrics.ExportAsync(CancellationToken.None);
    }

    [Test]
    public async Task Refresh_ReportWithBurst_WindowsRunwayAndThresholdsExported()
    {
        var text = await ExportAfterAsync(ReconcilerRunRiskTests.BurstReport());

        Assert.Multiple(() =>
        {
            Assert.That(Value(text, "usd1_net_redemptions_usd{network=\"total\",window=\"48h\"}"), Is.EqualTo(300));
            Assert.That(Value(text, "usd1_net_redemptions_usd{network=\"eth\",window=\"24h\"}"), Is.EqualTo(200));
            Assert.That(Value(text, "usd1_net_redemptions_ratio{network=\"total\",window=\"48h\",basis=\"supply\"}"), Is.EqualTo(0.3));
            Assert.That(Value(text, "usd1_redemption_surge_threshold_ratio{window=\"48h\",basis=\"supply\"}"), Is.EqualTo(0.1));
            Assert.That(Value(text, "usd1_liquidity_runway_days"), Is.EqualTo(6));
            Assert.That(Value(text, "usd1_liquid_reserves_usd"), Is.EqualTo(900));
        });
    }

    [Test]
    public async Task Refresh_ReportWithoutRedemptions_RunwayAbsentNotZero()
    {
        var report = ReconcilerRunRiskTests.BurstReport();
        var quiet = report with { RunRisk = report.RunRisk! with { RunwayDays = null, RunwayNetUsd = Usd1Reconciler.Core.Amounts.UsdAmount.Zero } };

        var text = await ExportAfterAsync(quiet);

        Assert.That(Value(text, "usd1_liquidity_runway_days"), Is.Null, "unbounded runway: no series — a 0 would read as 'no cover left'");
    }
}
