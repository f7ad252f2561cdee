using System.CommandLine;
using Microsoft.Extensions.DependencyInjection;
using Usd1Reconciler.Reconciliation;
using Usd1Reconciler.Storage;

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
            var (context, exitCode) = await CommandContext.OpenAsync(new CommandRequest(r.GetValue(config)!) { CreatedBy = "reconcile" }, console, time, ct);
            if (context is null)
            {
                return exitCode;
            }

            await using var _ = context;
            var (reports, anchor, pruned) = await context.Services.GetRequiredService<IReconciliationStore>().GetChainForAuditAsync(ct);
            var (json, html) = TransparencyReport.Build(reports, anchor, pruned, context.Config.Options.Publish, time.GetUtcNow());
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
