namespace Usd1Reconciler.Storage.Maintenance;

/// <summary><see cref="IStoreMaintenance"/> for the SQLite file at <paramref name="path"/> (<see cref="SqliteMaintenance"/>).</summary>
public sealed class SqliteStoreMaintenance(string path) : IStoreMaintenance
{
    public MigrationResult Migrate(TimeProvider time) => SqliteMaintenance.Migrate(path, time);

    public BackupResult Backup(string destination) => SqliteMaintenance.Backup(path, destination);

    public StoreCheckResult Check() => SqliteMaintenance.Check(path);
}
