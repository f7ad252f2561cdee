using Dapper;
using Microsoft.Data.Sqlite;
using Usd1Reconciler.Core.Reconciliation;
using Usd1Reconciler.Metrics;
using Usd1Reconciler.Storage.Sqlite;

namespace Usd1Reconciler.Tests.Host.Metrics;

public sealed class ReportChainMetricsRefresherTests
{
    private static readonly DateTimeOffset At = new(2026, 12, 1, 9, 0, 0, TimeSpan.Zero);
    private string _directory = null!;

    [SetUp]
    public void SetUp() => _directory = Directory.CreateTempSubdirectory("usd1rec-chainmetrics-").FullName;

    [TearDown]
    public void TearDown()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }

    private string DbPath => Path.Combine(_directory, "store.db");

    private SqliteReconciliationStore Open() => new(SqliteSupplyStore.Open(DbPath, TimeProvider.System));

    private static async Task<string> ScrapeAsync(SqliteReconciliationStore store, ReconcilerMetrics metrics)
    {
        await new ReportChainMetricsRefresher(store, metrics).RefreshAsync(CancellationToken.None);
        return await metrics.ExportAsync(CancellationToken.None);
    }

    private static async Task<StoredReport> AppendAsync(SqliteReconciliationStore store, int n)
    {
        var canonical = $$"""{"kind":"scheduled","createdAt":"{{ReportCanonicalForm.Time(At)}}","evaluatedAt":"{{ReportCanonicalForm.Time(At)}}","verdict":"covered","shortfallUsd":"0","n":{{n}}}""";
        return await store.AppendReportAsync("scheduled", At, At, "covered", "0", canonical, CancellationToken.None);
    }

    [Test]
    public async Task Refresh_NewestReportDeleted_LengthDropsAndOnlyTheNewHeadIsExported()
    {
        var store = Open();
        var metrics = new ReconcilerMetrics(Prometheus.Metrics.NewCustomRegistry());
        await AppendAsync(store, 0);
        var second = await AppendAsync(store, 1);
        var third = await AppendAsync(store, 2);

        var before = await ScrapeAsync(store, metrics);
        await using (var connection = new SqliteConnection($"Data Source={DbPath}"))
        {
            await connection.ExecuteAsync("DELETE FROM reconciliation_reports WHERE id = @Id", new { third.Id });
        }

        var after = await ScrapeAsync(store, metrics);

        Assert.Multiple(() =>
        {
            Assert.That(before, Does.Contain("\nusd1_report_chain_length 3\n"));
            Assert.That(before, Does.Contain($"usd1_report_chain_head_info{{hash=\"{third.Hash}\",length=\"3\"}} 1"));
            Assert.That(after, Does.Contain("\nusd1_report_chain_length 2\n"));
            Assert.That(after, Does.Contain($"usd1_report_chain_head_info{{hash=\"{second.Hash}\",length=\"2\"}} 1"));
            Assert.That(after, Does.Not.Contain(third.Hash), "one head series at a time: the removed head's series goes");
        });
    }

    [Test]
    public async Task Refresh_FreshMetricsAfterRestart_ExportsTheSameLengthAndHead()
    {
        var store = Open();
        await AppendAsync(store, 0);
        await AppendAsync(store, 1);
        var beforeRestart = await ScrapeAsync(store, new ReconcilerMetrics(Prometheus.Metrics.NewCustomRegistry()));

        var afterRestart = await ScrapeAsync(Open(), new ReconcilerMetrics(Prometheus.Metrics.NewCustomRegistry()));

        string Chain(string text) => string.Join('\n', text.Split('\n').Where(l => l.StartsWith("usd1_report_chain_", StringComparison.Ordinal)));
        Assert.That(Chain(afterRestart), Is.EqualTo(Chain(beforeRestart)).And.Contain("usd1_report_chain_length 2"),
            "read from the store, a restart exports exactly what was exported before: no false shrink");
    }

    [Test]
    public async Task Export_BeforeAnyRefresh_NoChainLengthSample()
    {
        var metrics = new ReconcilerMetrics(Prometheus.Metrics.NewCustomRegistry());

        var text = await metrics.ExportAsync(CancellationToken.None);

        Assert.That(text, Does.Not.Contain("\nusd1_report_chain_length "), "an initial 0 exported before the store was read would look like a truncation");
        await Task.CompletedTask;
    }
}
