namespace Usd1Reconciler.Storage.Sqlite;

/// <summary>Where the SQLite store lives; the host maps its own configuration (<c>Storage:Path</c>) to this.</summary>
/// <param name="Path">The store file; created with its folder on first open.</param>
public sealed record SqliteStorageSettings(string Path);
