using System.Diagnostics.CodeAnalysis;
using Usd1Reconciler.Configuration;
using Usd1Reconciler.Storage.Sqlite;

namespace Usd1Reconciler.Cli;

/// <summary>Loading and opening steps the reconciliation verbs share, each reporting its own failure.</summary>
internal static class CommandSupport
{
    /// <summary>
    /// Loads the configuration for `reconcile` or `run`, which insist on at least one reserve feed (reconciling against
    /// nothing proves nothing) — through the same validation `check-config --for` runs.
    /// </summary>
    public static bool TryLoadForReconciliation(string configPath, CliConsole console, [NotNullWhen(true)] out LoadedConfiguration? config, ConfigurationUse use = ConfigurationUse.Reconcile)
    {
        config = null;
        try
        {
            config = ConfigLoader.Load(configPath, use);
            return true;
        }
        catch (ConfigurationException ex)
        {
            ConfigErrorReporter.Report(ex, console.Error);
            return false;
        }
    }

    public static bool TryOpenStore(LoadedConfiguration config, TimeProvider time, CliConsole console, [NotNullWhen(true)] out SqliteSupplyStore? store)
    {
        store = null;
        try
        {
            store = SqliteSupplyStore.Open(config.StoragePath, time);
            return true;
        }
        catch (StoreSchemaException ex)
        {
            console.Error.WriteLine($"usd1rec: {ex.Message}");
            return false;
        }
    }
}
