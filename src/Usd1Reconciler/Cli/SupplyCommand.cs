using Usd1Reconciler.Configuration;
using Usd1Reconciler.Storage.Sqlite;

namespace Usd1Reconciler.Cli;

/// <summary>`usd1rec supply`: per-network supply from the store (no RPC call), as a table or as JSON.</summary>
internal static class SupplyCommand
{
    public static async Task<int> RunAsync(string configPath, bool json, CliConsole console, TimeProvider time, CancellationToken cancellationToken)
    {
        LoadedConfiguration config;
        try
        {
            config = ConfigLoader.Load(configPath);
        }
        catch (ConfigurationException ex)
        {
            return ConfigErrorReporter.Report(ex, console.Error);
        }

        if (!File.Exists(config.StoragePath))
        {
            console.Error.WriteLine($"usd1rec: no store at {config.StoragePath}; run `usd1rec index --config {config.FilePath} --once` first");
            return ExitCodes.Failure;
        }

        SqliteSupplyStore store;
        try
        {
            store = SqliteSupplyStore.Open(config.StoragePath, time);
        }
        catch (StoreSchemaException ex)
        {
            console.Error.WriteLine($"usd1rec: {ex.Message}");
            return ExitCodes.Failure;
        }

        IReadOnlyList<Core.Supply.NetworkSupply> stored;
        try
        {
            stored = await store.GetSupplyAsync(cancellationToken);
        }
        catch (Exception ex) when (SqliteSupplyStore.IsDamage(ex))
        {
            // Opening checks only the header and schema; damage in the pages this read touched surfaces here.
            console.Error.WriteLine($"usd1rec: store {store.Path} is damaged ({ex.Message}); run `usd1rec db check` and restore it from a backup");
            return ExitCodes.Failure;
        }

        var report = SupplyReport.Build(stored, config.Options.Networks.Select(n => (n.Name, n.StaleAfter)).ToList(), time.GetUtcNow());
        if (json)
        {
            await console.Output.FlushAsync(cancellationToken);
            using var buffer = new MemoryStream();
            report.WriteJson(buffer);
            await console.Output.WriteAsync(System.Text.Encoding.UTF8.GetString(buffer.ToArray()));
            await console.Output.FlushAsync(cancellationToken);
        }
        else
        {
            report.WriteTable(console.Output);
        }

        return ExitCodes.Ok;
    }
}
