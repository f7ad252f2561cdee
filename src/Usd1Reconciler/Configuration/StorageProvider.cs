namespace Usd1Reconciler.Configuration;

/// <summary>Which store <c>Storage:Provider</c> selects.</summary>
public enum StorageProvider
{
    /// <summary>The embedded SQLite file at <c>Storage:Path</c>: zero setup, one writing process.</summary>
    Sqlite,

    /// <summary>A PostgreSQL database at <c>Storage:ConnectionString</c>: shared by several instances (issue 14).</summary>
    Postgres,
}
