using System.Diagnostics.CodeAnalysis;
using Usd1Reconciler.Configuration;
using Usd1Reconciler.Storage.Sqlite;

namespace Usd1Reconciler.Cli;

/// <summary>Loading and opening steps the reconciliation verbs share, each reporting its own failure.</summary>
internal static class CommandSupport
{
    /// <summary>Loads the configuration and insists on at least one reserve feed: reconciling against nothing proves nothing.</summary>
    public static bool TryLoadForReconciliation(string configPath, CliConsole console, [NotNullWhen(true)] out LoadedConfiguration? config)
    {
        config = null;
        try
        {
            config = ConfigLoader.Load(configPath);
        }
        catch (ConfigurationException ex)
        {
            ConfigErrorReporter.Report(ex, console.Error);
            return false;
        }

        if (config.Options.Reserves.Feeds.Count == 0)
        {
            ConfigErrorReporter.Report(new ConfigurationException(["Reserves:Feeds: reconciliation needs at least one reserve feed"]), console.Error);
            config = null;
            return false;
        }

        return true;
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
