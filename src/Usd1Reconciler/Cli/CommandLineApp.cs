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
        VerbHelp.Attach(root, Help(root));
        return root;
    }

    /// <summary>
    /// Parses and runs; a command line that does not parse (unknown option, missing --config) exits 2 like an invalid
    /// configuration — nothing was started — after System.CommandLine printed the error and the help.
    /// </summary>
    public static async Task<int> InvokeAsync(string[] args, CliConsole console, TimeProvider time, InvocationConfiguration? invocation = null)
    {
        var parsed = Build(console, time).Parse(args);
        var exit = await parsed.InvokeAsync(invocation);
        return parsed.Action is System.CommandLine.Invocation.ParseErrorAction ? ExitCodes.InvalidConfiguration : exit;
    }

    /// <summary>Examples and exit codes of every verb, as each really behaves (see <see cref="ExitCodes"/>).</summary>
    private static Dictionary<Command, VerbHelp> Help(RootCommand root)
    {
        const string Store = "no store yet (it names the verb that creates one) or the store failed";
        const string Writer = "a network or the store failed (the message names it), or another process is writing the store";
        Command Verb(params string[] path) => path.Aggregate((Command)root, (command, name) => command.Subcommands.Single(c => c.Name == name));
        static VerbHelp Of(string[] examples, params (int, string)[] exits) => new(examples, exits);
        return new Dictionary<Command, VerbHelp>
        {
            [Verb("index")] = Of(
                ["usd1rec index --config /etc/usd1rec/usd1rec.json --once   # every network up to its head, then exit", "usd1rec index --config usd1rec.json   # keep following the heads until SIGTERM/Ctrl+C"],
                (ExitCodes.Ok, "every network indexed (or stopped by SIGTERM/Ctrl+C: \"network X: stopped at block N\")"),
                (ExitCodes.Failure, Writer),
                (ExitCodes.InvalidConfiguration, VerbHelp.InvalidInput)),
            [Verb("supply")] = Of(
                ["usd1rec supply --config usd1rec.json", "usd1rec supply --config usd1rec.json --json | jq -r .totalSupply"],
                (ExitCodes.Ok, "printed"),
                (ExitCodes.Failure, Store),
                (ExitCodes.InvalidConfiguration, VerbHelp.InvalidInput)),
            [Verb("check-config")] = Of(
                ["usd1rec check-config --config /etc/usd1rec/usd1rec.json", "usd1rec check-config --config usd1rec.json --for index"],
                (ExitCodes.Ok, "valid for the verb asked about (default run); it lists the verbs the file suits"),
                (ExitCodes.InvalidConfiguration, VerbHelp.InvalidInput)),
            [Verb("db", "migrate")] = Of(
                ["usd1rec db migrate --config /etc/usd1rec/usd1rec.json"],
                (ExitCodes.Ok, "schema up to date (the versions are printed)"),
                (ExitCodes.Failure, "the store failed, or another process is writing it"),
                (ExitCodes.InvalidConfiguration, VerbHelp.InvalidInput)),
            [Verb("db", "backup")] = Of(
                ["usd1rec db backup /var/backups/usd1rec/ --config /etc/usd1rec/usd1rec.json   # writes usd1rec-<UTC time>.db there", "usd1rec db backup before-upgrade.db --config usd1rec.json"],
                (ExitCodes.Ok, "copy written and its integrity checked"),
                (ExitCodes.Failure, "no store, the destination exists or its folder does not, or the copy failed its check"),
                (ExitCodes.InvalidConfiguration, VerbHelp.InvalidInput)),
            [Verb("db", "check")] = Of(
                ["usd1rec db check --config /etc/usd1rec/usd1rec.json"],
                (ExitCodes.Ok, "integrity ok and a schema this build can use"),
                (ExitCodes.Failure, "damage, or a schema written by a newer release"),
                (ExitCodes.InvalidConfiguration, VerbHelp.InvalidInput)),
            [Verb("healthcheck")] = Of(
                ["usd1rec healthcheck", "usd1rec healthcheck --url http://127.0.0.1:9464/healthz --timeout 00:00:02"],
                (ExitCodes.Ok, "the endpoint answered 2xx"),
                (ExitCodes.Failure, "another status, or no answer within the timeout"),
                (ExitCodes.InvalidConfiguration, "invalid command line")),
            [Verb("reconcile")] = Of(
                ["usd1rec reconcile --config usd1rec.json --once", "usd1rec reconcile --config usd1rec.json --once --json", "usd1rec reconcile --config usd1rec.json --once --at 2026-10-31T23:59:59Z"],
                (ExitCodes.Ok, "Covered"),
                (ExitCodes.Undercollateralized, "Undercollateralized: every input fresh and proven, and the reserves fail a rule"),
                (ExitCodes.Inconclusive, "Inconclusive: an input was stale, missing or failed its proof (the report names it)"),
                (ExitCodes.Failure, "the store failed, or another process is writing it; no report appended"),
                (ExitCodes.InvalidConfiguration, VerbHelp.InvalidInput + "; also without --once, or an --at that is no time or feed")),
            [Verb("report", "list")] = Of(
                ["usd1rec report list --config usd1rec.json --limit 10", "usd1rec report list --config usd1rec.json --json"],
                (ExitCodes.Ok, "listed"),
                (ExitCodes.Failure, Store),
                (ExitCodes.InvalidConfiguration, VerbHelp.InvalidInput + "; also --limit below 1")),
            [Verb("report", "show")] = Of(
                ["usd1rec report show --config usd1rec.json 42   # the summary", "usd1rec report show --config usd1rec.json 42 --json   # the report with every input"],
                (ExitCodes.Ok, "shown"),
                (ExitCodes.Failure, "no such report; " + Store),
                (ExitCodes.InvalidConfiguration, VerbHelp.InvalidInput)),
            [Verb("report", "verify")] = Of(
                ["usd1rec report verify --config usd1rec.json", "usd1rec report verify --config usd1rec.json --expect-head <hash> --expect-count 1200"],
                (ExitCodes.Ok, "chain intact (and still reaching the expected head and length)"),
                (ExitCodes.Failure, "a report was edited or removed, or the chain no longer reaches what was expected; " + Store),
                (ExitCodes.InvalidConfiguration, VerbHelp.InvalidInput)),
            [Verb("report", "export")] = Of(
                ["usd1rec report export --config usd1rec.json --format csv -o reports.csv", "usd1rec report export --config usd1rec.json --format md"],
                (ExitCodes.Ok, "exported"),
                (ExitCodes.Failure, "the chain is broken (nothing written; the first broken report is named); " + Store),
                (ExitCodes.InvalidConfiguration, VerbHelp.InvalidInput)),
            [Verb("report", "publish")] = Of(
                ["usd1rec report publish --config usd1rec.json --out /var/www/transparency"],
                (ExitCodes.Ok, "published"),
                (ExitCodes.Failure, "the chain is broken (published saying so); " + Store),
                (ExitCodes.InvalidConfiguration, VerbHelp.InvalidInput)),
            [Verb("governance")] = Of(
                ["usd1rec governance --config usd1rec.json", "usd1rec governance --config usd1rec.json --json | jq '.networks[] | {name, governanceProof}'"],
                (ExitCodes.Ok, "printed (drift and a failed proof are in the output, not the exit code)"),
                (ExitCodes.Failure, Store),
                (ExitCodes.InvalidConfiguration, VerbHelp.InvalidInput)),
            [Verb("governance", "log")] = Of(
                ["usd1rec governance log --config usd1rec.json --since 2026-12-01T00:00:00Z", "usd1rec governance log --config usd1rec.json --format csv > governance.csv"],
                (ExitCodes.Ok, "printed"),
                (ExitCodes.Failure, Store),
                (ExitCodes.InvalidConfiguration, VerbHelp.InvalidInput + "; also a --since that is no time")),
            [Verb("run")] = Of(
                ["usd1rec run --config /etc/usd1rec/usd1rec.json"],
                (ExitCodes.Ok, "stopped by SIGTERM/Ctrl+C"),
                (ExitCodes.Failure, "the store failed, another process is writing it, or another process took the writer lease"),
                (ExitCodes.InvalidConfiguration, VerbHelp.InvalidInput)),
        };
    }
}
