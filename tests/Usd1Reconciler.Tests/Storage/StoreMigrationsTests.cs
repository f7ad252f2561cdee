using Microsoft.Data.Sqlite;
using Usd1Reconciler.Storage;

namespace Usd1Reconciler.Tests.Storage;

/// <summary>The shared migration loop against a real in-memory SQLite connection (the transaction type it needs), with migrations of the test's own.</summary>
public sealed class StoreMigrationsTests
{
    private static readonly IReadOnlyList<StoreMigration> Three =
    [
        new(1, "0001_a.sql", "CREATE TABLE a (x INTEGER)"),
        new(2, "0002_b.sql", "CREATE TABLE b (x INTEGER)"),
        new(5, "0005_c.sql", "CREATE TABLE c (x INTEGER)"),
    ];

    [Test]
    public void Apply_EmptyThenAgain_EachInNumberOrderOnceThenNothing()
    {
        using var store = new Harness();

        Assert.That(store.Apply(Three), Is.EqualTo(new[] { 1, 2, 5 }));
        Assert.That(store.Apply(Three), Is.Empty);
        Assert.That(store.Recorded(), Is.EqualTo(new[] { 1, 2, 5 }));
    }

    [Test]
    public void Apply_VersionRecordedAfterTheFirstRead_ReadAgainInEachTransactionAndNotAppliedTwice()
    {
        using var store = new Harness();
        // Version 2 appears after the loop first read the versions (as when another instance applied it while this one
        // waited for the lock): the next transaction's read must see it.
        store.AfterApply = (version, transaction) =>
        {
            if (version == 1)
            {
                store.Execute("CREATE TABLE b (x INTEGER); INSERT INTO versions VALUES (2)", transaction);
            }
        };

        Assert.That(store.Apply(Three), Is.EqualTo(new[] { 1, 5 }), "only what this call applied");
        Assert.That(store.Recorded(), Is.EqualTo(new[] { 1, 2, 5 }));
    }

    [Test]
    public void Apply_StoreWithANewerVersion_RefusedBeforeAnythingIsApplied()
    {
        using var store = new Harness();
        store.Execute("INSERT INTO versions VALUES (9)");

        var error = Assert.Throws<StoreSchemaException>(() => store.Apply(Three));

        Assert.That(error!.Message, Does.Contain("schema version 9").And.Contain("knows up to 5").And.Contain("newer usd1rec"));
        Assert.That(store.Recorded(), Is.EqualTo(new[] { 9 }));
    }

    [Test]
    public void Apply_FailingMigration_ItsTransactionRolledBackEarlierOnesKept()
    {
        using var store = new Harness();
        IReadOnlyList<StoreMigration> broken = [Three[0], new(2, "0002_bad.sql", "CREATE TABLE a (x INTEGER)")];

        Assert.Throws<SqliteException>(() => store.Apply(broken));

        Assert.That(store.Recorded(), Is.EqualTo(new[] { 1 }), "the migration and its row commit together or not at all");
    }

    [Test]
    public void Load_StorageAssemblyResources_BothProvidersInNumberOrderWithoutDuplicates()
    {
        var sqlite = StoreMigrations.Load("Usd1Reconciler.Storage.Migrations.", "SQLite");
        var postgres = StoreMigrations.Load("Usd1Reconciler.Storage.Postgres.Migrations.", "PostgreSQL");

        Assert.That(sqlite.Select(m => m.Version), Is.Ordered.Ascending.And.Unique);
        Assert.That(postgres.Select(m => m.Version), Is.Ordered.Ascending.And.Unique);
        Assert.That(sqlite.Single(m => m.Version == 9).Name, Is.EqualTo("0009_governance.sql"));
        Assert.That(postgres.Single(m => m.Version == 53).Sql, Does.Contain("CREATE TABLE governance_changes"));
    }

    private sealed class Harness : IDisposable
    {
        private readonly SqliteConnection _connection = new("Data Source=:memory:");

        public Harness()
        {
            _connection.Open();
            Execute("CREATE TABLE versions (version INTEGER PRIMARY KEY)");
        }

        public Action<int, SqliteTransaction> AfterApply { get; set; } = (_, _) => { };

        public IReadOnlyList<int> Apply(IReadOnlyList<StoreMigration> migrations) => StoreMigrations.Apply(
            migrations,
            begin: _connection.BeginTransaction,
            readApplied: transaction => Query(transaction).ToHashSet(),
            apply: (transaction, migration) =>
            {
                Execute(migration.Sql, transaction);
                Execute($"INSERT INTO versions VALUES ({migration.Version})", transaction);
                AfterApply(migration.Version, transaction);
            });

        public List<int> Recorded() => Query(null).Order().ToList();

        public void Execute(string sql, SqliteTransaction? transaction = null)
        {
            using var command = _connection.CreateCommand();
            command.CommandText = sql;
            command.Transaction = transaction;
            command.ExecuteNonQuery();
        }

        public void Dispose() => _connection.Dispose();

        private List<int> Query(SqliteTransaction? transaction)
        {
            using var command = _connection.CreateCommand();
            command.CommandText = "SELECT version FROM versions";
            command.Transaction = transaction;
            using var reader = command.ExecuteReader();
            var versions = new List<int>();
            while (reader.Read())
            {
                versions.Add(reader.GetInt32(0));
            }

            return versions;
        }
    }
}
