using System.Globalization;
using Dapper;
using Microsoft.Data.Sqlite;
using Usd1Reconciler.Storage;
using Usd1Reconciler.Storage.Sqlite;

namespace Usd1Reconciler.Tests.Storage.Migrations;

/// <summary>
/// Migration 0006 rebuilds anomalies and alert_outbox (a CHECK constraint cannot change in place): a store written by
/// the release before keeps every row and id, and the outbox still refers to the anomalies with foreign keys enforced.
/// </summary>
public sealed class UnpagedAnomaliesMigrationTests
{
    private string _directory = null!;

    [SetUp]
    public void SetUp() => _directory = Directory.CreateTempSubdirectory("usd1rec-mig6-").FullName;

    [TearDown]
    public void TearDown()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }

    /// <summary>A store at the schema before 0006, as the previous release left it (foreign keys on, as the store opens them).</summary>
    private SqliteConnection OpenAtSchemaBeforeUnpaged()
    {
        var connection = new SqliteConnection($"Data Source={Path.Combine(_directory, "old.db")};Pooling=False");
        connection.Open();
        connection.Execute("PRAGMA foreign_keys = ON");
        connection.Execute("CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)");
        var assembly = typeof(SqliteMigrator).Assembly;
        foreach (var (version, name) in SqliteMigrator.KnownMigrations.Where(m => m.Version < 6))
        {
            using var stream = assembly.GetManifestResourceStream("Usd1Reconciler.Storage.Migrations." + name)!;
            using var reader = new StreamReader(stream);
            connection.Execute(reader.ReadToEnd());
            connection.Execute("INSERT INTO schema_migrations VALUES (@version, @name, '2026-11-01T00:00:00Z')", new { version, name });
        }

        return connection;
    }

    [Test]
    public void Apply_StoreWithQueuedAnomalyAndOutbox_RowsKeptOutboxStillReferencesAnomalies()
    {
        using var connection = OpenAtSchemaBeforeUnpaged();
        connection.Execute(
            """
            INSERT INTO anomalies (id, network, rule, fingerprint, dedupe_key, severity, summary, description, detected_at, page_state)
            VALUES (7, 'eth', 'OversizedMint', 'fp-7', 'k', 'page', 's', 'd', '2026-11-01T00:00:00Z', 'queued');
            INSERT INTO alert_outbox (id, anomaly_id, action, created_at, next_attempt_at) VALUES (3, 7, 'fire', '2026-11-01T00:00:00Z', '2026-11-01T00:00:00Z');
            """);

        var applied = SqliteMigrator.Apply(connection, TimeProvider.System);

        Assert.Multiple(() =>
        {
            Assert.That(applied, Does.Contain(6));
            Assert.That(connection.QuerySingle<(long, string, string?)>("SELECT id, page_state, page_note FROM anomalies"), Is.EqualTo((7L, "queued", (string?)null)));
            Assert.That(connection.QuerySingle<(long, long, string?)>("SELECT id, anomaly_id, abandoned_at FROM alert_outbox"), Is.EqualTo((3L, 7L, (string?)null)));
            Assert.That(connection.Query<string>("SELECT \"table\" FROM pragma_foreign_key_list('alert_outbox')"), Is.EqualTo(new[] { "anomalies" }),
                "the renamed table is what the outbox refers to");
            Assert.That(connection.Query("PRAGMA foreign_key_check"), Is.Empty);
            Assert.That(connection.Query<string>("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name IN ('anomalies', 'alert_outbox') AND name LIKE 'ix_%' ORDER BY name"),
                Is.EqualTo(new[] { "ix_alert_outbox_due", "ix_anomalies_dedupe", "ix_anomalies_open" }));
        });
        Assert.That(() => connection.Execute("INSERT INTO alert_outbox (anomaly_id, action, created_at, next_attempt_at) VALUES (99, 'fire', 'x', 'x')"),
            Throws.InstanceOf<SqliteException>(), "foreign keys still hold after the rebuild");
        Assert.That(() => connection.Execute(string.Create(CultureInfo.InvariantCulture,
            $"INSERT INTO anomalies (network, rule, fingerprint, dedupe_key, severity, summary, description, detected_at, page_state, page_note) VALUES ('eth', 'UnknownMinter', 'fp-8', 'k', 'page', 's', 'd', 'x', 'unpaged', '{AnomalyPaging.NoAlertmanagerNote}')")),
            Throws.Nothing, "the new state is allowed");
    }
}
