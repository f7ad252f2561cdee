using Dapper;
using Microsoft.Data.Sqlite;
using Usd1Reconciler.Storage.Sqlite;

namespace Usd1Reconciler.Storage.Maintenance;

/// <summary>
/// Operator maintenance of the SQLite store (`usd1rec db migrate|backup|check`). Backup and check only read the
/// source, so both are safe while the indexer writes: WAL lets one writer and any number of readers work at once, and
/// every read here happens inside one read transaction, so it sees one committed state.
/// </summary>
public static class SqliteMaintenance
{
    private const int SqliteCorrupt = SqliteSupplyStore.SqliteCorrupt;
    private const int SqliteNotADatabase = SqliteSupplyStore.SqliteNotADatabase;

    /// <summary>Opens (creating if needed) the store exactly as the indexer does and reports what was applied.</summary>
    /// <exception cref="StoreSchemaException">The store is damaged or carries a version newer than this build.</exception>
    public static MigrationResult Migrate(string path, TimeProvider time)
    {
        var before = File.Exists(path) ? ReadSchema(path) : Report([]);
        _ = SqliteSupplyStore.Open(path, time);
        var after = ReadSchema(path);
        SqliteConnection.ClearAllPools();
        return new MigrationResult(after.Applied.Except(before.Applied).Order().ToList(), after);
    }

    /// <summary>
    /// Runs the full `PRAGMA integrity_check` (every page and index; opening a store checks only its header, length
    /// and schema, so this is where damage deeper in the file is found) and reports the schema. Opens the file
    /// read-only: a check never changes what it checks.
    /// </summary>
    public static StoreCheckResult Check(string path)
    {
        if (!File.Exists(path))
        {
            return new StoreCheckResult([$"no store at {path}"], null);
        }

        try
        {
            using var connection = OpenReadOnly(path);
            var problems = connection.Query<string>("PRAGMA integrity_check")
                .Where(line => !string.Equals(line, "ok", StringComparison.Ordinal))
                .ToList();
            return new StoreCheckResult(problems, ReadSchema(connection));
        }
        catch (SqliteException ex) when (ex.SqliteErrorCode is SqliteCorrupt or SqliteNotADatabase)
        {
            return new StoreCheckResult([$"{path} is damaged or not an SQLite database: {ex.Message}"], null);
        }
    }

    /// <summary>
    /// Writes a consistent copy of the store to <paramref name="destination"/> with `VACUUM INTO`, which reads the
    /// source in one read transaction (the indexer keeps committing meanwhile; the copy holds the state at its start)
    /// and writes a compact file with no WAL beside it. The copy goes to a temporary name first and is renamed only
    /// after it passed its own integrity check, so a half-written or damaged backup never carries the final name.
    /// An existing destination is never overwritten.
    /// </summary>
    /// <exception cref="StoreSchemaException">The source is missing or damaged, or the copy failed its check.</exception>
    /// <exception cref="IOException">The destination exists or cannot be written.</exception>
    public static BackupResult Backup(string path, string destination)
    {
        var target = Path.GetFullPath(destination);
        if (File.Exists(target))
        {
            throw new IOException($"{target} already exists; a backup never overwrites a file");
        }

        if (!File.Exists(path))
        {
            throw new StoreSchemaException($"no store at {path}");
        }

        var partial = target + ".partial";
        File.Delete(partial);
        try
        {
            // VACUUM INTO reads every row of the source, so source damage surfaces here as an error; the full check
            // then runs on the copy, not twice on a source that may be large and busy.
            try
            {
                using var connection = OpenReadOnly(path);
                connection.Execute("VACUUM INTO @partial", new { partial });
            }
            catch (SqliteException ex) when (ex.SqliteErrorCode is SqliteCorrupt or SqliteNotADatabase)
            {
                throw new StoreSchemaException($"store {path} is damaged or not an SQLite database ({ex.Message}); it cannot be backed up", ex);
            }
            catch (SqliteException ex)
            {
                // Busy past the timeout, the destination not writable, …: the provider's text, as before, now in the store's own exception.
                throw new StoreUnavailableException(ex.Message, ex);
            }

            var copy = Check(partial);
            if (!copy.IsSound)
            {
                throw new StoreSchemaException($"the backup {partial} failed its integrity check: {string.Join("; ", copy.Problems)}");
            }

            File.Move(partial, target, overwrite: false);
            return new BackupResult(target, new FileInfo(target).Length, copy.Schema!);
        }
        finally
        {
            File.Delete(partial);
        }
    }

    private static SqliteConnection OpenReadOnly(string path)
    {
        var builder = new SqliteConnectionStringBuilder
        {
            DataSource = Path.GetFullPath(path),
            Mode = SqliteOpenMode.ReadOnly,

            // Maintenance runs once and exits, and tests delete the files afterwards: a pooled handle would keep them open.
            Pooling = false,
            DefaultTimeout = 30,
        };
        var connection = new SqliteConnection(builder.ToString());
        connection.Open();
        connection.Execute("PRAGMA busy_timeout = 10000");
        return connection;
    }

    private static SchemaReport ReadSchema(string path)
    {
        using var connection = OpenReadOnly(path);
        return ReadSchema(connection);
    }

    private static SchemaReport ReadSchema(SqliteConnection connection)
    {
        var hasTable = connection.ExecuteScalar<long>(
            "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'") > 0;
        return Report(hasTable ? connection.Query<int>("SELECT version FROM schema_migrations").ToList() : []);
    }

    private static SchemaReport Report(IReadOnlyCollection<int> applied)
    {
        var known = SqliteMigrator.KnownMigrations.Select(m => m.Version).ToHashSet();
        return new SchemaReport(
            applied.Order().ToList(),
            known.Except(applied).Order().ToList(),
            applied.Where(v => !known.Contains(v)).Order().ToList());
    }
}
