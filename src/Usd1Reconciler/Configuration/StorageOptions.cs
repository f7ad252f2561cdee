using System.ComponentModel.DataAnnotations;

namespace Usd1Reconciler.Configuration;

public sealed class StorageOptions
{
    /// <summary>
    /// <value>Default <c>Sqlite</c>.</value> <c>Sqlite</c> (the file at <see cref="Path"/>) or <c>Postgres</c> (the
    /// database at <see cref="ConnectionString"/>, for more than one instance).
    /// </summary>
    public StorageProvider Provider { get; set; } = StorageProvider.Sqlite;

    /// <summary>
    /// The PostgreSQL connection string (Npgsql keywords: <c>Host=…;Port=…;Database=…;Username=…;Password=…</c>);
    /// required with <c>Provider</c> <c>Postgres</c>, refused with <c>Sqlite</c>. Best given as
    /// <c>ConnectionStringFile</c> (the secret-file rule: exactly one of the two). Never printed: messages name the
    /// store as <c>postgresql://user@host:port/database</c>. <value>Default none.</value>
    /// </summary>
    public string? ConnectionString { get; set; }

    /// <summary>
    /// SQLite file. <value>Default <c>usd1rec.db</c>.</value> A relative path is taken relative to the configuration
    /// file's folder, so the same file works from any working directory (systemd starts units in /). With the
    /// PostgreSQL provider its folder still holds the Solana signature spool.
    /// </summary>
    [Required(ErrorMessage = "must not be empty")]
    public string Path { get; set; } = "usd1rec.db";

    /// <summary>
    /// How often <c>run</c> reads the whole store with SQLite's full integrity check (the check opening a store no
    /// longer does: it costs ~1.3 s per GB), exporting <c>usd1_store_integrity_ok</c>. The first check runs at start,
    /// in the background. <value>Default 1 day; at least 1 minute.</value>
    /// </summary>
    [DurationRange("00:01:00", Reason = "as the check reads the whole store")]
    public TimeSpan IntegrityCheckInterval { get; set; } = TimeSpan.FromDays(1);
}
