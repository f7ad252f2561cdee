using System.CommandLine;
using Usd1Reconciler.Configuration;
using Usd1Reconciler.Reconciliation;
using Usd1Reconciler.Storage.Sqlite;

namespace Usd1Reconciler.Cli;

/// <summary>
/// `usd1rec report publish --config &lt;file&gt; --out &lt;dir&gt;`: writes transparency.json and index.html (issue 17).
/// Read-only on the store. A broken chain or an Inconclusive newest report is published saying so, and exits 1 for a
/// broken chain so a publishing pipeline stops.
/// </summary>
internal static class ReportPublishCommand
{
    public static Command Create(Option<string> config, CliConsole console, TimeProvider time)
    {
        var output = new Option<string>("--out") { Description = "Directory to write index.html and transparency.json into.", Required = true };
        var publish = new Command("publish", "Write the public transparency report (static HTML page and JSON document) from the hash chain.") { config, output };
        publish.SetAction(async (r, ct) =>
        {
            LoadedConfiguration loaded;
            try
            {
                loaded = ConfigLoader.Load(r.GetValue(config)!);
            }
            catch (ConfigurationException ex)
            {
                return ConfigErrorReporter.Report(ex, console.Error);
            }

            if (!File.Exists(loaded.StoragePath) || !CommandSupport.TryOpenStore(loaded, time, console, out var store))
            {
                console.Error.WriteLine($"usd1rec: no usable store at {loaded.StoragePath}");
                return ExitCodes.Failure;
            }

            var (reports, anchor, pruned) = await new SqliteReconciliationStore(store).GetChainForAuditAsync(ct);
            var (json, html) = TransparencyReport.Build(reports, anchor, pruned, loaded.Options.Publish, time.GetUtcNow());
            var directory = Directory.CreateDirectory(r.GetValue(output)!).FullName;
            await File.WriteAllTextAsync(Path.Combine(directory, "transparency.json"), json, ct);
            await File.WriteAllTextAsync(Path.Combine(directory, "index.html"), html, ct);
            var intact = ReportChainIntact(json);
            console.WriteLine($"published {Path.Combine(directory, "index.html")} and transparency.json{(intact ? "" : " — CHAIN BROKEN, said so in both")}");
            return intact ? ExitCodes.Ok : ExitCodes.Failure;
        });
        return publish;
    }

    private static bool ReportChainIntact(string json) =>
        System.Text.Json.JsonDocument.Parse(json).RootElement.GetProperty("chain").GetProperty("intact").GetBoolean();
}
