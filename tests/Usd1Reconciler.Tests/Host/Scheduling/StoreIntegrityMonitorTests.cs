using Dapper;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Usd1Reconciler.Metrics;
using Usd1Reconciler.Scheduling;
using Usd1Reconciler.Storage.Maintenance;
using Usd1Reconciler.Storage.Sqlite;

namespace Usd1Reconciler.Tests.Host.Scheduling;

public sealed class StoreIntegrityMonitorTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 1, 3, 30, 0, TimeSpan.Zero);
    private string _directory = null!;

    [SetUp]
    public void SetUp() => _directory = Directory.CreateTempSubdirectory("usd1rec-integrity-").FullName;

    [TearDown]
    public void TearDown()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }

    private string DbPath => Path.Combine(_directory, "store.db");

    [Test]
    public void NewMetrics_BeforeAnyCheck_ExportNoIntegritySeries()
    {
        var metrics = new ReconcilerMetrics(Prometheus.Metrics.NewCustomRegistry());

        var text = metrics.ExportAsync(CancellationToken.None).GetAwaiter().GetResult();

        Assert.That(text, Does.Not.Match("(?m)^usd1_store_integrity_ok "),
            "an unchecked store exports no value: a default 0 would page damage nobody found, a 1 would claim a check that never ran");
    }

    [Test]
    public async Task Check_SoundStore_SetsOkAndTheTimeItFinished()
    {
        SqliteSupplyStore.Open(DbPath, TimeProvider.System);
        var metrics = new ReconcilerMetrics(Prometheus.Metrics.NewCustomRegistry());
        var time = new FakeTimeProvider(Now);

        var result = await new StoreIntegrityMonitor(new SqliteStoreMaintenance(DbPath), DbPath, metrics, time, NullLogger.Instance).CheckAsync(CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(result.Problems, Is.Empty);
            Assert.That(metrics.StoreIntegrityOk.Value, Is.EqualTo(1));
            Assert.That(metrics.StoreIntegrityLastCheck.Value, Is.EqualTo(Now.ToUnixTimeSeconds()), "the alert and dashboard say how old the verdict is");
        });
    }

    [Test]
    public async Task Check_DamagedStore_SetsZeroSoTheDamageAlertFires()
    {
        var store = SqliteSupplyStore.Open(DbPath, TimeProvider.System);
        using (var connection = new SqliteConnection($"Data Source={DbPath};Pooling=False"))
        {
            connection.Open();
            connection.Execute("CREATE TABLE filler (v TEXT); WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 3000) INSERT INTO filler SELECT hex(randomblob(64)) FROM n;");
            connection.Execute("PRAGMA wal_checkpoint(TRUNCATE)");
        }

        SqliteConnection.ClearAllPools();
        var length = new FileInfo(DbPath).Length;
        using (var file = new FileStream(DbPath, FileMode.Open, FileAccess.Write))
        {
            // Leave page 1 (header and schema) alone; overwrite the filler's last page.
            file.Position = length - 16384;
            file.Write(Enumerable.Repeat((byte)0xA5, 16384).ToArray());
        }

        var metrics = new ReconcilerMetrics(Prometheus.Metrics.NewCustomRegistry());
        metrics.StoreIntegrityOk.Set(1); // an earlier check found the store sound

        var result = await new StoreIntegrityMonitor(new SqliteStoreMaintenance(store.Path), store.Path, metrics, new FakeTimeProvider(Now), NullLogger.Instance).CheckAsync(CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(result.Problems, Is.Not.Empty);
            Assert.That(metrics.StoreIntegrityOk.Value, Is.Zero, "usd1_store_integrity_ok == 0 pages Usd1StoreDamaged");
            Assert.That(metrics.StoreIntegrityLastCheck.Value, Is.EqualTo(Now.ToUnixTimeSeconds()));
        });
    }
}
