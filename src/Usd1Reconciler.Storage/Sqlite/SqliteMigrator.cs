using System.Globalization;
using System.Reflection;
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
    public static IReadOnlyList<int> Apply(SqliteConnection connection, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(time);
        connection.Execute(
            "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)");
        var applied = connection.Query<int>("SELECT version FROM schema_migrations").ToHashSet();
        var migrations = LoadMigrations();
        var newest = migrations.Max(m => m.Version);
        var unknown = applied.Where(v => v > newest).ToList();
        if (unknown.Count > 0)
        {
            throw new StoreSchemaException(
                $"the store has schema version {unknown.Max()} but this build knows up to {newest}: it was written by a newer usd1rec; upgrade usd1rec or restore a backup");
        }

        var appliedNow = new List<int>();
        foreach (var migration in migrations.Where(m => !applied.Contains(m.Version)))
        {
            using var transaction = connection.BeginTransaction();
            connection.Execute(migration.Sql, transaction: transaction);
            if (CodeSteps.TryGetValue(migration.Version, out var step))
            {
                step(connection, transaction);
            }

            connection.Execute(
                "INSERT INTO schema_migrations (version, name, applied_at) VALUES (@Version, @Name, @AppliedAt)",
                new { migration.Version, migration.Name, AppliedAt = time.GetUtcNow().ToString("O", CultureInfo.InvariantCulture) },
                transaction);
            transaction.Commit();
            appliedNow.Add(migration.Version);
        }

        return appliedNow;
    }

    // Steps a migration needs that SQL cannot do, run right after its SQL in the same transaction: 0007 backfills the
    // hourly redemption aggregates with exact BigInteger sums (SQLite's SUM() goes through floating point).
    private static readonly Dictionary<int, Action<SqliteConnection, SqliteTransaction>> CodeSteps = new()
    {
        [7] = SqliteSupplyStore.BackfillRedemptionHours,
    };

    private static List<Migration> LoadMigrations()
    {
        var assembly = typeof(SqliteMigrator).Assembly;
        var migrations = new List<Migration>();
        foreach (var resource in assembly.GetManifestResourceNames().Where(r => r.StartsWith(ResourcePrefix, StringComparison.Ordinal)))
        {
            var name = resource[ResourcePrefix.Length..];
            var version = int.Parse(name.AsSpan(0, name.IndexOf('_', StringComparison.Ordinal)), CultureInfo.InvariantCulture);
            migrations.Add(new Migration(version, name, ReadResource(assembly, resource)));
        }

        return migrations.OrderBy(m => m.Version).ToList();
    }

    private static string ReadResource(Assembly assembly, string resource)
    {
        using var stream = assembly.GetManifestResourceStream(resource)
            ?? throw new InvalidOperationException($"embedded migration {resource} is missing");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    private sealed record Migration(int Version, string Name, string Sql);
}
