using Dapper;
using Npgsql;
using Usd1Reconciler.Storage.Maintenance;

namespace Usd1Reconciler.Storage.Postgres;

/// <summary>
/// Applies the PostgreSQL store's embedded, numbered migrations (<c>Postgres/Migrations/NNNN_name.sql</c>) in number
/// order, each in its own transaction together with its row in <c>schema_migrations</c>. Forward only: a database that
/// carries a version this build does not know was written by a newer release and is refused, not guessed at.
/// <para>
/// Safe when several instances start at once: every migration transaction first takes one transaction-scoped advisory
/// lock (<c>pg_advisory_xact_lock</c>), so migrations run one at a time across all of them; a waiting instance then
/// reads the versions again and finds the one the other applied. The lock ends with the transaction, so a crashed
/// instance never leaves it behind, and nothing half-applied stays: DDL is transactional in PostgreSQL.
/// </para>
/// </summary>
public static class PostgresMigrator
{
    /// <summary>The advisory lock key of schema changes: "usd1migr" as a 64-bit integer.</summary>
    public const long MigrationLockKey = 0x7573_6431_6d69_6772;

    private const string ResourcePrefix = "Usd1Reconciler.Storage.Postgres.Migrations.";

    public static IReadOnlyList<(int Version, string Name)> KnownMigrations { get; } = LoadMigrations()
        .Select(m => (m.Version, m.Name))
        .ToList();

    /// <summary>Brings the schema up to date; returns the versions applied now (by this call, not by a concurrent one).</summary>
    /// <exception cref="StoreSchemaException">The database carries a version newer than this build.</exception>
    public static IReadOnlyList<int> Apply(NpgsqlConnection connection, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(time);
        return StoreMigrations.Apply(
            LoadMigrations(),
            begin: () =>
            {
                var transaction = connection.BeginTransaction();
                connection.Execute("SELECT pg_advisory_xact_lock(@key)", new { key = MigrationLockKey }, transaction);
                connection.Execute(
                    "CREATE TABLE IF NOT EXISTS schema_migrations (version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL)",
                    transaction: transaction);
                return transaction;
            },
            readApplied: transaction => connection.Query<int>("SELECT version FROM schema_migrations", transaction: transaction).ToHashSet(),
            apply: (transaction, migration) =>
            {
                connection.Execute(migration.Sql, transaction: transaction);
                connection.Execute(
                    "INSERT INTO schema_migrations (version, name, applied_at) VALUES (@Version, @Name, @AppliedAt)",
                    new { migration.Version, migration.Name, AppliedAt = time.GetUtcNow().UtcDateTime },
                    transaction);
            });
    }

    /// <summary>The applied versions against the known ones; a database without the migrations table has none.</summary>
    public static SchemaReport ReadSchema(NpgsqlConnection connection)
    {
        ArgumentNullException.ThrowIfNull(connection);
        var hasTable = connection.ExecuteScalar<bool>("SELECT to_regclass('schema_migrations') IS NOT NULL");
        var applied = hasTable ? connection.Query<int>("SELECT version FROM schema_migrations").ToList() : [];
        var known = KnownMigrations.Select(m => m.Version).ToHashSet();
        return new SchemaReport(
            applied.Order().ToList(),
            known.Except(applied).Order().ToList(),
            applied.Where(v => !known.Contains(v)).Order().ToList());
    }

    private static IReadOnlyList<StoreMigration> LoadMigrations() => StoreMigrations.Load(ResourcePrefix, "PostgreSQL");
}
