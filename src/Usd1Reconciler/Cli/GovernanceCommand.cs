using System.CommandLine;
using System.Globalization;
using System.Text;
using Usd1Reconciler.Configuration;
using Usd1Reconciler.Core.Governance;

namespace Usd1Reconciler.Cli;

/// <summary>
/// `usd1rec governance [--json]`: per network the governance state folded from the stored changes, the policy verdict
/// (drift) and the governance proof; `usd1rec governance log` the change log with explorer links. Both read the store
/// only (no RPC call) and work beside a running daemon.
/// </summary>
internal static class GovernanceCommand
{
    public static Command Create(Option<string> config, Option<bool> json, CliConsole console, TimeProvider time)
    {
        var since = new Option<string?>("--since") { Description = "Only changes with a block time at or after this UTC time (ISO 8601, e.g. 2026-12-01T00:00:00Z)." };
        var format = new Option<string>("--format") { Description = "Output format: md (default), json or csv.", DefaultValueFactory = _ => "md" };
        format.AcceptOnlyFromAmong("md", "json", "csv");
        var log = new Command("log", "Print the change log of privileged actions: block, time, tx, actor, change, explorer link.") { config, since, format };
        log.SetAction((result, ct) => LogAsync(result.GetValue(config)!, result.GetValue(since), result.GetValue(format)!, console, time, ct));

        var governance = new Command("governance", "Print per network the governance state, its drift from policy and the governance proof.") { config, json, log };
        governance.SetAction((result, ct) => RunAsync(result.GetValue(config)!, result.GetValue(json), console, time, ct));
        return governance;
    }

    public static async Task<int> RunAsync(string configPath, bool json, CliConsole console, TimeProvider time, CancellationToken cancellationToken)
    {
        var (context, exitCode) = await CommandContext.OpenAsync(new CommandRequest(configPath) { CreatedBy = "index" }, console, time, cancellationToken);
        if (context is null)
        {
            return exitCode;
        }

        await using var _ = context;
        if (context.Governance is not { } governance)
        {
            console.Error.WriteLine($"usd1rec: the store at {context.Store.Location} keeps no governance record (its provider registers no governance store)");
            return ExitCodes.Failure;
        }

        var now = time.GetUtcNow();
        var finals = (await context.Store.GetSupplyAsync(cancellationToken)).ToDictionary(s => s.Name, s => s.FinalBlock, StringComparer.Ordinal);
        var networks = new List<GovernanceView>();
        foreach (var network in context.Config.Options.Networks)
        {
            var changes = await governance.GetGovernanceChangesAsync(network.Name, cancellationToken);
            var state = GovernanceFold.Fold(network.Name, changes).State;
            var drift = GovernanceDriftCheck.Check(state, GovernancePolicyFactory.Create(network));
            var proof = await governance.GetGovernanceProofAsync(network.Name, cancellationToken);
            var status = GovernanceProof.Evaluate(proof, finals.GetValueOrDefault(network.Name, -1), now, network.StaleAfter);
            networks.Add(new GovernanceView(network.Name, status, drift, state, proof));
        }

        if (json)
        {
            await console.Output.WriteAsync(GovernanceJson.Write(networks));
        }
        else
        {
            foreach (var n in networks)
            {
                console.WriteLine($"{n.Name}: governance proof {StatusText(n.Proof)}{(n.Reading is { } r ? $" (block {r.BlockNumber}, checked {r.CheckedAt:O})" : "")}, state hash {n.State.ComputeHash()[..16]}…");
                console.WriteLine($"  owner {n.State.Owner ?? "-"}, paused {(n.State.Paused == true ? "yes" : "no")}, implementation {n.State.Implementation ?? "-"}, proxy admin {n.State.ProxyAdmin ?? "-"}");
                foreach (var (role, holders) in n.State.Roles)
                {
                    console.WriteLine($"  role {role}: {string.Join(", ", holders)}");
                }

                foreach (var (minter, allowance) in n.State.Minters)
                {
                    console.WriteLine($"  minter {minter}: allowance {allowance.ToString(CultureInfo.InvariantCulture)}");
                }

                foreach (var (key, holder) in n.State.Authorities)
                {
                    console.WriteLine($"  authority {key}: {holder ?? "none"}");
                }

                console.WriteLine($"  denylisted {n.State.Denylisted.Count}, frozen {n.State.Frozen.Count}");
                console.WriteLine(n.Drift.Count == 0 ? "  policy: within policy" : $"  policy: {n.Drift.Count} drift item(s)");
                foreach (var d in n.Drift)
                {
                    console.WriteLine($"    {d.Kind} {d.Subject}: expected {d.Expected}, actual {d.Actual} (block {d.BlockNumber?.ToString(CultureInfo.InvariantCulture) ?? "?"}, tx {d.TransactionId ?? "?"})");
                }
            }
        }

        return ExitCodes.Ok;
    }

    public static async Task<int> LogAsync(string configPath, string? since, string format, CliConsole console, TimeProvider time, CancellationToken cancellationToken)
    {
        DateTimeOffset? from = null;
        if (since is not null)
        {
            if (!DateTimeOffset.TryParse(since, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var parsed))
            {
                console.Error.WriteLine($"usd1rec: --since: '{since}' is not a time (use ISO 8601, e.g. 2026-12-01T00:00:00Z)");
                return ExitCodes.InvalidConfiguration;
            }

            from = parsed;
        }

        var (context, exitCode) = await CommandContext.OpenAsync(new CommandRequest(configPath) { CreatedBy = "index" }, console, time, cancellationToken);
        if (context is null)
        {
            return exitCode;
        }

        await using var _ = context;
        if (context.Governance is not { } governance)
        {
            console.Error.WriteLine($"usd1rec: the store at {context.Store.Location} keeps no governance record (its provider registers no governance store)");
            return ExitCodes.Failure;
        }

        var explorers = context.Config.Options.Networks.ToDictionary(n => n.Name, n => n.Anomalies?.ExplorerTxUrl, StringComparer.Ordinal);
        var all = await governance.GetGovernanceLogAsync(null, cancellationToken);
        // Old values come from the fold over each network's whole history, then the window is cut: a change's "old"
        // must not depend on where --since starts.
        var entries = all.GroupBy(c => c.Network)
            .SelectMany(g => GovernanceFold.Fold(g.Key, g).Applied)
            .Where(c => from is null || (c.BlockTime is { } t && t >= from))
            .Select(c => new GovernanceLogEntry(c, explorers.GetValueOrDefault(c.Network) is { } url ? url.Replace("{tx}", c.TransactionId, StringComparison.Ordinal) : null))
            .ToList();
        await console.Output.WriteAsync(format switch
        {
            "json" => GovernanceJson.WriteLog(entries),
            "csv" => Csv(entries),
            _ => Markdown(entries),
        });
        return ExitCodes.Ok;
    }

    internal static string StatusText(GovernanceProofStatus status) => status.ToString().ToLowerInvariant();

    private static string Csv(IReadOnlyList<GovernanceLogEntry> entries)
    {
        var text = new StringBuilder("network,block,time,tx,actor,kind,subject,old,new,final,explorer\n");
        foreach (var e in entries)
        {
            var c = e.Change;
            text.AppendJoin(',', new[]
            {
                c.Network, c.BlockNumber.ToString(CultureInfo.InvariantCulture), c.BlockTime?.ToString("O", CultureInfo.InvariantCulture) ?? "", c.TransactionId,
                c.Actor ?? "", c.Kind.ToString(), c.Subject, c.OldValue ?? "", c.NewValue ?? "", c.IsFinal ? "true" : "false", e.Explorer ?? "",
            }.Select(CsvField)).Append('\n');
        }

        return text.ToString();
    }

    // RFC 4180: a field with a comma, quote or line break is quoted, quotes doubled (declared events carry JSON).
    private static string CsvField(string field) =>
        field.AsSpan().IndexOfAny(",\"\n\r") >= 0 ? "\"" + field.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : field;

    private static string Markdown(IReadOnlyList<GovernanceLogEntry> entries)
    {
        var text = new StringBuilder("| network | block | time | tx | actor | change | final |\n| --- | --- | --- | --- | --- | --- | --- |\n");
        foreach (var e in entries)
        {
            var c = e.Change;
            var tx = e.Explorer is null ? $"`{c.TransactionId}`" : $"[{c.TransactionId}]({e.Explorer})";
            text.Append(CultureInfo.InvariantCulture, $"| {c.Network} | {c.BlockNumber} | {c.BlockTime?.ToString("O", CultureInfo.InvariantCulture) ?? "-"} | {tx} | {c.Actor ?? "-"} | {c.Describe().Replace("|", "\\|", StringComparison.Ordinal)} | {(c.IsFinal ? "yes" : "no")} |\n");
        }

        return text.ToString();
    }
}
