using Microsoft.Data.Sqlite;

namespace Usd1Reconciler.Bench.SteadyMemory;

/// <summary>Read-only queries of the daemon's store: what it holds, for the settle check and the report.</summary>
internal static class StoreProbe
{

    public static List<(string Name, long Events, long Final)> StoredEvents(string storePath) =>
        Query(storePath, """
            SELECT n.name, COUNT(e.network_id), COALESCE(SUM(e.is_final), 0)
            FROM networks n LEFT JOIN supply_events e ON e.network_id = n.id
            GROUP BY n.id, n.name ORDER BY n.id
            """, r => (r.GetString(0), r.GetInt64(1), r.GetInt64(2)));

    public static (long Reports, string? LastVerdict, long Snapshots) Reconciliations(string storePath) =>
        Query(storePath, """
            SELECT (SELECT COUNT(*) FROM reconciliation_reports),
                   (SELECT verdict FROM reconciliation_reports ORDER BY id DESC LIMIT 1),
                   (SELECT COUNT(*) FROM reserve_snapshots)
            """, r => (r.GetInt64(0), r.IsDBNull(1) ? null : r.GetString(1), r.GetInt64(2))).Single();

    /// <summary>A read-only query of the daemon's store (WAL: readers never block its writer); empty until it is migrated.</summary>
    private static List<T> Query<T>(string path, string sql, Func<SqliteDataReader, T> read)
    {
        var rows = new List<T>();
        if (!File.Exists(path))
        {
            return rows;
        }

        try
        {
            using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString());
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = sql;
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                rows.Add(read(reader));
            }
        }
        catch (SqliteException)
        {
            rows.Clear(); // not migrated yet
        }

        return rows;
    }
}
