namespace Usd1Reconciler.Configuration;

/// <summary>A validated configuration, with the store path resolved against the configuration file's folder.</summary>
public sealed record LoadedConfiguration(string FilePath, ReconcilerOptions Options, string StoragePath)
{
    /// <summary>
    /// The store as messages name it: the SQLite file's path, or <c>postgresql://user@host:port/database</c> — never
    /// the connection string, which carries the password.
    /// </summary>
    public string StoreName => Options.Storage.Provider == StorageProvider.Postgres
        ? new Storage.Postgres.PostgresStorageSettings(Options.Storage.ConnectionString!).Location
        : StoragePath;

    /// <summary>True for a store in a file (SQLite): one that a verb can find missing before it opens it.</summary>
    public bool StoreIsFile => Options.Storage.Provider == StorageProvider.Sqlite;
}
