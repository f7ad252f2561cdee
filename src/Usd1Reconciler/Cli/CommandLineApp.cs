using System.CommandLine;

namespace Usd1Reconciler.Cli;

/// <summary>The verbs of `usd1rec` and their options. Each verb's work lives in its own *Command class.</summary>
public static class CommandLineApp
{
    public static RootCommand Build(CliConsole console, TimeProvider time)
    {
        var config = new Option<string>("--config", "-c")
        {
            Description = "Configuration file (JSON; keys overridable with USD1REC__Section__Key environment variables).",
            Required = true,
        };

        var once = new Option<bool>("--once") { Description = "Run one pass per network up to its head, then exit." };
        var index = new Command("index", "Index mints and burns of every configured network into the store.") { config, once };
        index.SetAction((result, ct) => IndexCommand.RunAsync(result.GetValue(config)!, result.GetValue(once), console, time, ct));

        var json = new Option<bool>("--json") { Description = "Print JSON instead of a table." };
        var supply = new Command("supply", "Print per-network supply from the store, with each network's ledger proof.") { config, json };
        supply.SetAction((result, ct) => SupplyCommand.RunAsync(result.GetValue(config)!, result.GetValue(json), console, time, ct));

        var root = new RootCommand("usd1rec — indexes a USD stablecoin's mints and burns and proves its supply.") { index, supply };
        root.Subcommands.Add(CheckConfigCommand.Create(config, console));
        root.Subcommands.Add(DbCommand.Create(config, console, time));
        root.Subcommands.Add(GovernanceCommand.Create(config, json, console, time));
        root.Subcommands.Add(HealthcheckCommand.Create(console));
        root.Subcommands.Add(ReconcileCommand.Create(config, console, time));
        root.Subcommands.Add(ReportCommand.Create(config, console, time));
        root.Subcommands.Add(RunCommand.Create(config, console, time));
        return root;
    }
}
