using Dapper;
using Microsoft.Data.Sqlite;
using Usd1Reconciler.Storage;
using Usd1Reconciler.Storage.Maintenance;
using Usd1Reconciler.Storage.Sqlite;

namespace Usd1Reconciler.Tests.Storage.Maintenance;

public sealed class SqliteMaintenanceTests
{
    private string _directory = null!;

    [SetUp]
    public void SetUp() => _directory = Directory.CreateTempSubdirectory("usd1rec-maint-").FullName;

    [TearDown]
    public void TearDown()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }

    private string DbPath => Path.Combine(_directory, "store.db");

    private static IReadOnlyList<int> Known => SqliteMigrator.KnownMigrations.Select(m => m.Version).ToList();

    private static SqliteConnection Connect(string path)
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ToString());
        connection.Open();
        connection.Execute("PRAGMA busy_timeout = 10000");
        return connection;
    }

    [Test]
    public void Migrate_NewFile_AppliesEveryKnownMigrationThenNothing()
    {
        var first = SqliteMaintenance.Migrate(DbPath, TimeProvider.System);
        var second = SqliteMaintenance.Migrate(DbPath, TimeProvider.System);

        Assert.That(first.AppliedNow, Is.EqualTo(Known));
        Assert.That(first.Schema.IsCurrent, Is.True);
        Assert.That(second.AppliedNow, Is.Empty, "migrations are applied once");
        Assert.That(second.Schema.Version, Is.EqualTo(Known.Max()));
    }

    [Test]
    public void Check_FreshStore_SoundAndCurrent()
    {
        SqliteMaintenance.Migrate(DbPath, TimeProvider.System);

        var result = SqliteMaintenance.Check(DbPath);

        Assert.That(result.Problems, Is.Empty);
        Assert.That(result.IsSound, Is.True);
        Assert.That(result.Schema!.Applied, Is.EqualTo(Known));
    }

    [Test]
    public void Check_MissingFile_NotSoundAndNothingCreated()
    {
        var result = SqliteMaintenance.Check(DbPath);

        Assert.That(result.IsSound, Is.False);
        Assert.That(File.Exists(DbPath), Is.False, "a check must never create the store it checks");
    }

    [Test]
    public void Check_PagesOverwritten_ReportsDamage()
    {
        SqliteMaintenance.Migrate(DbPath, TimeProvider.System);
        using (var connection = Connect(DbPath))
        {
            connection.Execute("CREATE TABLE filler (v TEXT); WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 2000) INSERT INTO filler SELECT hex(randomblob(64)) FROM n;");
            connection.Execute("PRAGMA wal_checkpoint(TRUNCATE)");
        }

        var pageSize = 4096;
        using (var file = new FileStream(DbPath, FileMode.Open, FileAccess.Write))
        {
            // Leave the header page intact (so the file still opens) and scribble over the middle of the b-trees.
            file.Position = pageSize * 3;
            file.Write(Enumerable.Repeat((byte)0xA5, pageSize * 4).ToArray());
        }

        var result = SqliteMaintenance.Check(DbPath);

        Assert.That(result.IsSound, Is.False);
        Assert.That(result.Problems, Is.Not.Empty);
    }

    [Test]
    public void Check_NotADatabase_ReportsDamageInsteadOfThrowing()
    {
        File.WriteAllText(DbPath, new string('x', 8192));

        var result = SqliteMaintenance.Check(DbPath);

        Assert.That(result.IsSound, Is.False);
        Assert.That(result.Problems.Single(), Does.Contain("damaged or not an SQLite database"));
    }

    [Test]
    public void Check_SchemaFromNewerBuild_NotSound()
    {
        SqliteMaintenance.Migrate(DbPath, TimeProvider.System);
        using (var connection = Connect(DbPath))
        {
            connection.Execute("INSERT INTO schema_migrations (version, name, applied_at) VALUES (9999, '9999_future.sql', '2030-01-01T00:00:00Z')");
        }

        var result = SqliteMaintenance.Check(DbPath);

        Assert.That(result.Problems, Is.Empty, "the file itself is intact");
        Assert.That(result.Schema!.Unknown, Is.EqualTo(new[] { 9999 }));
        Assert.That(result.IsSound, Is.False, "this build cannot use a store written by a newer one");
    }

    [Test]
    public async Task Backup_WhileAnotherConnectionCommits_EveryCopyHoldsWholeTransactionsOnly()
    {
        SqliteMaintenance.Migrate(DbPath, TimeProvider.System);
        using (var setup = Connect(DbPath))
        {
            setup.Execute("CREATE TABLE pairs (id INTEGER PRIMARY KEY, half INTEGER NOT NULL)");
        }

        using var stop = new CancellationTokenSource();
        var writer = Task.Run(() =>
        {
            // Stands in for the indexer: every transaction writes two rows, so a torn copy would hold an odd count.
            using var connection = Connect(DbPath);
            var commits = 0;
            while (!stop.IsCancellationRequested)
            {
                using var transaction = connection.BeginTransaction();
                connection.Execute("INSERT INTO pairs (half) VALUES (0), (1)", transaction: transaction);
                transaction.Commit();
                commits++;
            }

            return commits;
        });

        var counts = new List<long>();
        for (var i = 0; i < 5; i++)
        {
            var backup = SqliteMaintenance.Backup(DbPath, Path.Combine(_directory, $"backup-{i}.db"));
            using var copy = Connect(backup.Path);
            counts.Add(copy.ExecuteScalar<long>("SELECT count(*) FROM pairs"));
            Assert.That(SqliteMaintenance.Check(backup.Path).IsSound, Is.True);
        }

        await stop.CancelAsync();
        var commits = await writer;

        Assert.That(counts, Has.All.Matches<long>(c => c % 2 == 0), "a backup is one committed state, never half a transaction");
        Assert.That(commits, Is.GreaterThan(0), "the writer must have run during the backups for this test to mean anything");
        Assert.That(File.Exists(Path.Combine(_directory, "backup-0.db.partial")), Is.False);
    }

    [Test]
    public void Backup_DestinationExists_RefusedAndUntouched()
    {
        SqliteMaintenance.Migrate(DbPath, TimeProvider.System);
        var destination = Path.Combine(_directory, "keep.db");
        File.WriteAllText(destination, "an older backup");

        Assert.Throws<IOException>(() => SqliteMaintenance.Backup(DbPath, destination));
        Assert.That(File.ReadAllText(destination), Is.EqualTo("an older backup"));
    }

    [Test]
    public void Backup_NoStore_ThrowsAndWritesNothing()
    {
        var destination = Path.Combine(_directory, "copy.db");

        Assert.Throws<StoreSchemaException>(() => SqliteMaintenance.Backup(DbPath, destination));
        Assert.That(File.Exists(destination), Is.False);
    }
}
