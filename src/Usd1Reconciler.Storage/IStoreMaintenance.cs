using Usd1Reconciler.Storage.Maintenance;

namespace Usd1Reconciler.Storage;

/// <summary>`usd1rec db migrate|backup|check` and the scheduled integrity check, for the configured store (issue 14.1: any provider).</summary>
public interface IStoreMaintenance
{
    /// <summary>Creates the store if needed and applies pending migrations (a write: hold the writer lease).</summary>
    MigrationResult Migrate(TimeProvider time);

    /// <summary>Writes a consistent, verified copy to <paramref name="destination"/> (never overwritten).</summary>
    BackupResult Backup(string destination);

    /// <summary>The full integrity check and the schema versions; read-only, safe beside the writer.</summary>
    StoreCheckResult Check();
}
