using Dapper;
using Npgsql;
using Usd1Reconciler.Storage.Postgres;

namespace Usd1Reconciler.Storage.Maintenance;

/// <summary>
/// `usd1rec db migrate|check` for the PostgreSQL store; `db backup` is refused with the pg_dump command to use
/// instead: the server has its own consistent, online backup tools, which usd1rec does not reimplement.
/// </summary>
public sealed class PostgresStoreMaintenance(PostgresStorageSettings settings) : IStoreMaintenance
{
    /// <summary>Applies pending migrations (safe beside running instances: the migrator's advisory lock serializes them).</summary>
    public MigrationResult Migrate(TimeProvider time)
    {
        try
        {
            using var connection = Connect();
            var applied = PostgresMigrator.Apply(connection, time);
            return new MigrationResult(applied, PostgresMigrator.ReadSchema(connection));
        }
        catch (Exception ex) when (ex is NpgsqlException or TimeoutException)
        {
            throw new StoreUnavailableException($"store {settings.Location} cannot be migrated: {ex.Message}", ex);
        }
    }

    /// <exception cref="NotSupportedException">Always: a PostgreSQL store is backed up with pg_dump.</exception>
    public BackupResult Backup(string destination) =>
        throw new NotSupportedException(
            $"store {settings.Location} is a PostgreSQL database; `usd1rec db backup` copies SQLite stores only. " +
            "Back it up with PostgreSQL's own tool, e.g. `pg_dump --format=custom --file=usd1rec.dump --host=HOST --port=PORT --username=USER DATABASE` " +
            "(consistent while usd1rec runs; restore with pg_restore); see docs/architecture.md");

    /// <summary>
    /// Read-only: the schema versions, and that every network's running totals equal the exact numeric sums of its
    /// final events (the invariant a damaged or hand-edited store breaks first). Page-level damage is the server's to
    /// find (data checksums, amcheck).
    /// </summary>
    public StoreCheckResult Check()
    {
        try
        {
            using var connection = Connect();
            using var transaction = connection.BeginTransaction(System.Data.IsolationLevel.RepeatableRead);
            var schema = PostgresMigrator.ReadSchema(connection);
            if (schema.Applied.Count == 0)
            {
                return new StoreCheckResult([$"no store in {settings.Location}: the database has no usd1rec schema (run `usd1rec db migrate`)"], schema);
            }

            var problems = connection.Query<string>(
                """
                SELECT 'network ' || n.name || ': running totals minted ' || t.minted::text || ' / burned ' || t.burned::text
                       || ' differ from its final events (minted ' || COALESCE(s.minted, 0)::text || ' / burned ' || COALESCE(s.burned, 0)::text || ')'
                FROM networks n
                JOIN supply_totals t ON t.network_id = n.id
                LEFT JOIN (SELECT network_id,
                                  SUM(amount) FILTER (WHERE kind = 'mint') AS minted,
                                  SUM(amount) FILTER (WHERE kind = 'burn') AS burned
                           FROM supply_events WHERE is_final GROUP BY network_id) s ON s.network_id = n.id
                WHERE t.minted <> COALESCE(s.minted, 0) OR t.burned <> COALESCE(s.burned, 0)
                ORDER BY n.name
                """,
                transaction: transaction).ToList();
            transaction.Commit();
            return new StoreCheckResult(problems, schema);
        }
        catch (Exception ex) when (ex is NpgsqlException or TimeoutException)
        {
            return new StoreCheckResult([$"store {settings.Location} cannot be read: {ex.Message}"], null);
        }
    }

    private NpgsqlConnection Connect()
    {
        var builder = new NpgsqlConnectionStringBuilder(settings.ConnectionString) { PersistSecurityInfo = false, IncludeErrorDetail = false, Pooling = false };
        builder.ApplicationName ??= "usd1rec db";
        var connection = new NpgsqlConnection(builder.ConnectionString);
        connection.Open();
        return connection;
    }
}
