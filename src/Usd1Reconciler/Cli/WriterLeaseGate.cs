using Microsoft.Extensions.Logging;
using Usd1Reconciler.Configuration;
using Usd1Reconciler.Storage.Leasing;
using Usd1Reconciler.Storage.Sqlite;

namespace Usd1Reconciler.Cli;

/// <summary>
/// Invariant 10 at the door of every writer verb (`run`, `index`, `reconcile`, `db migrate`, the demo): the writer
/// lease is taken before the store is opened — opening migrates, and migrating is a write — so a refused writer has
/// changed nothing. Read-only verbs (`supply`, `report …`, `db check`, `db backup`) never come here.
/// </summary>
internal static class WriterLeaseGate
{
    /// <summary>The held lease, or null after printing why not (another live writer, or a store that cannot be written).</summary>
    public static async Task<IHeldWriterLease?> TryAcquireAsync(LoadedConfiguration config, string verb, CliConsole console, TimeProvider time, ILoggerFactory loggers, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(config);
        var lease = new SqliteWriterLease(config.StoragePath, time, loggers.CreateLogger("usd1rec.lease"));
        try
        {
            var held = await lease.AcquireAsync(verb, cancellationToken);
            if (held.TookOverFrom is { } dead)
            {
                console.Error.WriteLine($"usd1rec: took over the writer lease of store {lease.StorePath} from {dead.Describe()}: that process is gone");
            }

            return held;
        }
        catch (Exception ex) when (ex is WriterLeaseHeldException or StoreSchemaException)
        {
            console.Error.WriteLine($"usd1rec: {ex.Message}");
            return null;
        }
        catch (Exception ex) when (ex is System.Data.Common.DbException or IOException or UnauthorizedAccessException)
        {
            console.Error.WriteLine($"usd1rec: store {lease.StorePath}: cannot take the writer lease: {ex.Message}");
            return null;
        }
    }
}
