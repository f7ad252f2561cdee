using System.Globalization;
using Dapper;
using Microsoft.Data.Sqlite;

namespace Usd1Reconciler.Storage.Sqlite;

/// <summary>
/// Applies the embedded, numbered SQL migrations in order, each in its own transaction. Forward only: a database that
/// carries a version this build does not know was written by a newer release and is refused, not guessed at.
/// </summary>
public static class SqliteMigrator
{
    private const string ResourcePrefix = "Usd1Reconciler.Storage.Migrations.";

    public static IReadOnlyList<(int Version, string Name)> KnownMigrations { get; } = LoadMigrations()
        .Select(m => (m.Version, m.Name))
        .ToList();

    /// <summary>Brings the schema up to date; returns the versions applied now.</summary>
    /// <exception cref="StoreSchemaException">The file carries a version newer than this build.</exception>
    public static IReadOnlyList<int> Apply(SqliteConnection connection, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(time);
        connection.Execute(
            "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)");
        return StoreMigrations.Apply(
            LoadMigrations(),
            // One process writes the file (its writer lease), so nothing beyond the transaction serializes migrators.
            begin: connection.BeginTransaction,
            readApplied: transaction => connection.Query<int>("SELECT version FROM schema_migrations", transaction: transaction).ToHashSet(),
            apply: (transaction, migration) =>
            {
                connection.Execute(migration.Sql, transaction: transaction);
                if (CodeSteps.TryGetValue(migration.Version, out var step))
                {
                    step(connection, transaction);
                }

                connection.Execute(
                    "INSERT INTO schema_migrations (version, name, applied_at) VALUES (@Version, @Name, @AppliedAt)",
                    new { migration.Version, migration.Name, AppliedAt = time.GetUtcNow().ToString("O", CultureInfo.InvariantCulture) },
                    transaction);
            });
    }

    // Steps a migration needs that SQL cannot do, run right after its SQL in the same transaction: 0007 backfills the
    // hourly redemption aggregates with exact BigInteger sums (SQLite's SUM() goes through floating point).
    private static readonly Dictionary<int, Action<SqliteConnection, SqliteTransaction>> CodeSteps = new()
    {
        [7] = SqliteSupplyStore.BackfillRedemptionHours,
    };

    private static IReadOnlyList<StoreMigration> LoadMigrations() => StoreMigrations.Load(ResourcePrefix, "SQLite");
}
