using System.Globalization;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Time.Testing;
using Usd1Reconciler.Core.Reconciliation;
using Usd1Reconciler.Metrics;
using Usd1Reconciler.Reconciliation;
using Usd1Reconciler.Storage.Sqlite;
using Usd1Reconciler.Tests.Core.Reconciliation;

namespace Usd1Reconciler.Tests.Host.Metrics;

public sealed class ReconciliationMetricsRefresherTests
{
    private static readonly DateTimeOffset Noon = new(2025, 6, 30, 12, 0, 0, TimeSpan.Zero);
    private string _directory = null!;

    [SetUp]
    public void SetUp() => _directory = Directory.CreateTempSubdirectory("usd1rec-metrics-").FullName;

    [TearDown]
    public void TearDown()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }

    private SqliteReconciliationStore Open() => new(SqliteSupplyStore.Open(Path.Combine(_directory, "store.db"), TimeProvider.System));

    /// <summary>Appends a report the way the runner does: provenance from the chain, then evaluate, write, append.</summary>
    internal static async Task AppendAsync(SqliteReconciliationStore store, string reserves, TimeSpan feedAge, DateTimeOffset createdAt)
    {
        var provenance = await ReconciliationProvenance.ReadAsync(store, CancellationToken.None);
        var sample = ReportCanonicalFormTests.Sample(reserves, feedAge, last: provenance.LastConclusive, since: provenance.InconclusiveSince ?? createdAt);
        var canonical = ReportCanonicalForm.Write(sample, createdAt);
        await store.AppendReportAsync("scheduled", createdAt, sample.EvaluatedAt, ReportCanonicalForm.VerdictText(sample.Verdict), sample.Shortfall?.ToString() ?? "", canonical, CancellationToken.None);
    }

    private static async Task<string> ExportAsync(SqliteReconciliationStore store, DateTimeOffset now)
    {
        // A fresh metrics registry each time: what a daemon restarted at `now` exports after its first refresh.
        var metrics = new ReconcilerMetrics(Prometheus.Metrics.NewCustomRegistry());
        var refresher = new ReconciliationMetricsRefresher(store, metrics, new Dictionary<string, TimeSpan>(), new FakeTimeProvider(now));
        await refresher.RefreshAsync(CancellationToken.None);
        return await metrics.ExportAsync(CancellationToken.None);
    }

    private static double? Value(string text, string series)
    {
        foreach (var line in text.Split('\n'))
        {
            if (line.StartsWith(series + " ", StringComparison.Ordinal))
            {
                return double.Parse(line[(series.Length + 1)..], NumberStyles.Float, CultureInfo.InvariantCulture);
            }
        }

        return null;
    }

    [Test]
    public async Task Refresh_OnlyInconclusiveReports_NoCoverageShortfallOrCirculatingSeries()
    {
        var store = Open();
        await AppendAsync(store, "2.5", TimeSpan.FromHours(2), Noon);

        var text = await ExportAsync(store, Noon.AddMinutes(1));

        Assert.Multiple(() =>
        {
            Assert.That(Value(text, "usd1_coverage_ratio"), Is.Null, "no conclusive report: no coverage series — never 0, which would page 'coverage 0 %'");
            Assert.That(Value(text, "usd1_reconciliation_shortfall_usd"), Is.Null);
            Assert.That(Value(text, "usd1_total_supply_tokens{kind=\"circulating\"}"), Is.Null);
            Assert.That(Value(text, "usd1_reconciliation_verdict{verdict=\"inconclusive\"}"), Is.EqualTo(1));
            Assert.That(Value(text, "usd1_reconciliation_inconclusive_since_timestamp_seconds"), Is.EqualTo(Noon.ToUnixTimeSeconds()));
        });
    }

    [Test]
    public async Task Refresh_UndercollateralizedThenInconclusive_FiguresOfTheConclusiveReportAndSince()
    {
        var store = Open();
        await AppendAsync(store, "1.5", TimeSpan.Zero, Noon);
        await AppendAsync(store, "2.5", TimeSpan.FromHours(2), Noon.AddMinutes(5));
        await AppendAsync(store, "2.5", TimeSpan.FromHours(2), Noon.AddMinutes(10));

        var text = await ExportAsync(store, Noon.AddMinutes(11));

        Assert.Multiple(() =>
        {
            Assert.That(Value(text, "usd1_reconciliation_verdict{verdict=\"inconclusive\"}"), Is.EqualTo(1), "the latest verdict is shown as it is");
            Assert.That(Value(text, "usd1_reconciliation_last_conclusive_verdict{verdict=\"undercollateralized\"}"), Is.EqualTo(1), "the shortfall stays visible (Usd1Undercollateralized keeps firing)");
            Assert.That(Value(text, "usd1_reconciliation_last_conclusive_verdict{verdict=\"covered\"}"), Is.EqualTo(0));
            Assert.That(Value(text, "usd1_coverage_ratio"), Is.EqualTo(0.75), "1.5 USD of reserves for 2 tokens, from the conclusive report");
            Assert.That(Value(text, "usd1_reconciliation_shortfall_usd"), Is.EqualTo(0.5));
            Assert.That(Value(text, "usd1_total_supply_tokens{kind=\"circulating\"}"), Is.EqualTo(2));
            Assert.That(Value(text, "usd1_reconciliation_last_conclusive_timestamp_seconds"), Is.EqualTo(Noon.ToUnixTimeSeconds()));
            Assert.That(Value(text, "usd1_reconciliation_inconclusive_since_timestamp_seconds"), Is.EqualTo(Noon.AddMinutes(5).ToUnixTimeSeconds()), "the run began with the first inconclusive report, not the newest");
        });
    }

    [Test]
    public async Task Refresh_ConclusiveCoveredAfterInconclusive_SinceAbsentVerdictCovered()
    {
        var store = Open();
        await AppendAsync(store, "1.5", TimeSpan.Zero, Noon);
        await AppendAsync(store, "2.5", TimeSpan.FromHours(2), Noon.AddMinutes(5));
        await AppendAsync(store, "2.5", TimeSpan.Zero, Noon.AddMinutes(10));

        var text = await ExportAsync(store, Noon.AddMinutes(11));

        Assert.Multiple(() =>
        {
            Assert.That(Value(text, "usd1_reconciliation_last_conclusive_verdict{verdict=\"covered\"}"), Is.EqualTo(1));
            Assert.That(Value(text, "usd1_reconciliation_last_conclusive_verdict{verdict=\"undercollateralized\"}"), Is.EqualTo(0), "a conclusive Covered clears the shortfall");
            Assert.That(Value(text, "usd1_coverage_ratio"), Is.EqualTo(1.25));
            Assert.That(Value(text, "usd1_reconciliation_shortfall_usd"), Is.EqualTo(0));
            Assert.That(Value(text, "usd1_reconciliation_inconclusive_since_timestamp_seconds"), Is.Null, "not inconclusive any more");
        });
    }

    [Test]
    public async Task Refresh_OldInconclusiveReportWithPartialSum_NotExportedAsFigures()
    {
        var store = Open();
        // A store written by the previous version: its inconclusive report says 2,000,000 "USD" and coverage 0.
        await store.AppendReportAsync("scheduled", Noon.AddHours(1), Noon.AddHours(1), "inconclusive", "0", ReportCanonicalFormTests.OldInconclusiveWithPartialSum, CancellationToken.None);

        var text = await ExportAsync(store, Noon.AddHours(1));

        Assert.Multiple(() =>
        {
            Assert.That(Value(text, "usd1_coverage_ratio"), Is.Null, "the old report's coverage 0 is not a figure");
            Assert.That(Value(text, "usd1_total_supply_tokens{kind=\"circulating\"}"), Is.Null, "nor are its base units summed as dollars");
        });
    }
}
