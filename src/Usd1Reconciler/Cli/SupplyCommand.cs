using Usd1Reconciler.Storage;

namespace Usd1Reconciler.Cli;

/// <summary>`usd1rec supply`: per-network supply from the store (no RPC call), as a table or as JSON.</summary>
internal static class SupplyCommand
{
    public static async Task<int> RunAsync(string configPath, bool json, CliConsole console, TimeProvider time, CancellationToken cancellationToken)
    {
        var (context, exitCode) = await CommandContext.OpenAsync(new CommandRequest(configPath) { CreatedBy = "index" }, console, time, cancellationToken);
        if (context is null)
        {
            return exitCode;
        }

        await using var _ = context;
        var store = context.Store;
        IReadOnlyList<Core.Supply.NetworkSupply> stored;
        try
        {
            stored = await store.GetSupplyAsync(cancellationToken);
        }
        catch (StoreDamagedException ex)
        {
            // Opening checks only the header and schema; damage in the pages this read touched surfaces here.
            console.Error.WriteLine($"usd1rec: {ex.Message}");
            return ExitCodes.Failure;
        }

        var report = SupplyReport.Build(stored, context.Config.Options.Networks.Select(n => (n.Name, n.StaleAfter)).ToList(), time.GetUtcNow());
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
            report.WriteTable(console.Output, context.Config.Options.TokenSymbol);
        }

        return ExitCodes.Ok;
    }
}
