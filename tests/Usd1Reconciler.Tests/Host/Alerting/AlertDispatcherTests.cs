using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using Usd1Reconciler.Alerting;
using Usd1Reconciler.Configuration;
using Usd1Reconciler.Core.Amounts;
using Usd1Reconciler.Core.Anomalies;
using Usd1Reconciler.Metrics;
using Usd1Reconciler.Storage;
using Usd1Reconciler.Storage.Sqlite;

namespace Usd1Reconciler.Tests.Host.Alerting;

public sealed class AlertDispatcherTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 1, 9, 0, 0, TimeSpan.Zero);
    private string _directory = null!;
    private SqliteAnomalyStore _store = null!;

    [SetUp]
    public void SetUp()
    {
        _directory = Directory.CreateTempSubdirectory("usd1rec-dispatch-").FullName;
        _store = new SqliteAnomalyStore(SqliteSupplyStore.Open(Path.Combine(_directory, "s.db"), TimeProvider.System));
    }

    [TearDown]
    public void TearDown()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }

    [Test]
    public async Task Dispatch_NoAlertmanagerAndEntriesQueuedEarlier_AbandonedAndPendingGaugeZero()
    {
        // Queued as a release before this one did without an Alertmanager (or while one was configured).
        var oversized = new Anomaly(AnomalyRule.OversizedMint, "eth", "page", "s", "d", 5, "0x1", "0xm", new TokenAmount(9), Now, "OversizedMint|eth|0x1|0|-1");
        await _store.RecordScreenAsync([oversized], [], new AnomalyPaging(TimeSpan.FromMinutes(10), TimeSpan.FromHours(24)), Now, CancellationToken.None);
        var metrics = new ReconcilerMetrics(Prometheus.Metrics.NewCustomRegistry());
        metrics.AlertsPending.Set(1);
        using var http = new HttpClient();
        var dispatcher = new AlertDispatcher(_store, new AlertmanagerClient(http, []), new AlertingOptions(), new Dictionary<string, AnomalyOptions>(),
            metrics, TimeProvider.System, NullLogger.Instance);

        var delivered = await dispatcher.DispatchAsync(CancellationToken.None);
        var stored = (await _store.GetRecentAnomaliesAsync(1, CancellationToken.None)).Single();

        Assert.Multiple(() =>
        {
            Assert.That(delivered, Is.Zero);
            Assert.That(metrics.AlertsPending.Value, Is.Zero, "what no Alertmanager can receive is not pending");
            Assert.That((stored.PageState, stored.PageNote), Is.EqualTo(("unpaged", AnomalyPaging.NoAlertmanagerNote)));
        });
    }
}
