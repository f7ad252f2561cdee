using System.CommandLine;
using Microsoft.Extensions.DependencyInjection;
using Usd1Reconciler.Core.Reconciliation;
using Usd1Reconciler.Reconciliation;
using Usd1Reconciler.Storage;

namespace Usd1Reconciler.Cli;

/// <summary>
/// `usd1rec report list|show|verify|export`: reads the stored reports (no RPC, no feed). `verify` recomputes the hash
/// chain and checks every listed column against the hashed content, and with `--expect-head` / `--expect-count` that
/// the chain still reaches what a witness saw (a cut at the end links perfectly, so only a witness can see it); it
/// exits 1 on any problem, naming the report. `export` verifies first and refuses a broken chain.
/// </summary>
internal static class ReportCommand
{
    public static Command Create(Option<string> config, CliConsole console, TimeProvider time)
    {
        var report = new Command("report", "List, show, verify and export the hash-chained reconciliation reports.");

        var limit = new Option<int>("--limit") { Description = "Newest reports to list (1 or more).", DefaultValueFactory = _ => 50 };
        var listJson = new Option<bool>("--json") { Description = "Print JSON." };
        var list = new Command("list", "List the newest reports.") { config, limit, listJson };
        list.SetAction((r, ct) =>
        {
            // Checked before the store is opened, and refused rather than quietly raised to 1: a script asking for
            // 0 reports has a bug its author should hear about.
            if (r.GetValue(limit) is < 1 and var wrong)
            {
                console.Error.WriteLine($"usd1rec: --limit must be 1 or more (got {wrong})");
                return Task.FromResult(ExitCodes.InvalidConfiguration);
            }

            return ListAsync(r, ct);
        });
        Task<int> ListAsync(ParseResult r, CancellationToken ct) => WithStore(r.GetValue(config)!, console, time, async store =>
        {
            var reports = await store.ListReportsAsync(r.GetValue(limit), ct);
            await console.Output.WriteAsync(r.GetValue(listJson) ? ReportFormatter.Json(reports, single: false) : ReportFormatter.Table(reports));
            return ExitCodes.Ok;
        });

        var id = new Argument<long>("id") { Description = "Report id (see `report list`)." };
        var showJson = new Option<bool>("--json") { Description = "Print the whole report as JSON, with every input (blocks, slots, snapshots)." };
        var show = new Command("show", "Show one report's summary; --json for the report with every input.") { config, id, showJson };
        show.SetAction((r, ct) => WithStore(r.GetValue(config)!, console, time, async store =>
        {
            var stored = await store.GetReportAsync(r.GetValue(id), ct);
            if (stored is null)
            {
                console.Error.WriteLine($"usd1rec: no report {r.GetValue(id)}");
                return ExitCodes.Failure;
            }

            // The summary for people; the report with every input (blocks, slots, snapshots) for machines, with --json.
            await console.Output.WriteAsync(r.GetValue(showJson) ? ReportFormatter.Json([stored], single: true) : ReportFormatter.Summary(stored));
            return ExitCodes.Ok;
        }));

        var expectHead = new Option<string?>("--expect-head")
        {
            Description = "A head hash seen earlier (usd1_report_chain_head_info, an earlier verify): exit 1 unless the chain still contains it.",
        };
        expectHead.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<string?>() is { } text && !ReportChain.IsHash(text))
            {
                result.AddError($"--expect-head: '{text}' is not a report hash (64 hex digits)");
            }
        });
        var expectCount = new Option<long?>("--expect-count")
        {
            Description = "A chain length seen earlier (usd1_report_chain_length): exit 1 if the chain is now shorter.",
        };
        expectCount.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<long?>() is < 0)
            {
                result.AddError("--expect-count: must be 0 or more");
            }
        });
        var verify = new Command("verify", "Recompute the hash chain over every stored report; exit 1 if any report was edited or removed, or the chain does not reach an expected head or length.")
        {
            config, expectHead, expectCount,
        };
        verify.SetAction((r, ct) => WithStore(r.GetValue(config)!, console, time, async store =>
        {
            var (reports, anchor, pruned) = await store.GetChainForAuditAsync(ct);
            var problems = ReportChain.Verify(reports, anchor).Concat(ReportChain.CheckReaches(reports, anchor, pruned, r.GetValue(expectHead), r.GetValue(expectCount))).ToList();
            foreach (var problem in problems)
            {
                console.Error.WriteLine($"usd1rec: {problem}");
            }

            var retention = pruned > 0 ? $" ({pruned} older pruned behind the anchor; length {pruned + reports.Count})" : "";
            console.WriteLine(problems.Count == 0
                ? $"chain intact: {reports.Count} report{(reports.Count == 1 ? "" : "s")}{(reports.Count > 0 ? $", head {reports[^1].Hash}" : "")}{retention}"
                : $"chain BROKEN: {problems.Count} problem{(problems.Count == 1 ? "" : "s")} in {reports.Count} reports{retention}");
            return problems.Count == 0 ? ExitCodes.Ok : ExitCodes.Failure;
        }));

        var format = new Option<string>("--format") { Description = "json, csv or md.", Required = true };
        format.AcceptOnlyFromAmong("json", "csv", "md");
        var output = new Option<string?>("--output", "-o") { Description = "File to write instead of stdout." };
        var export = new Command("export", "Verify the chain, then export every report, oldest first; a broken chain is refused (exit 1), nothing is written.") { config, format, output };
        export.SetAction((r, ct) => WithStore(r.GetValue(config)!, console, time, async store =>
        {
            var (reports, anchor) = await store.GetChainAsync(ct);
            // An export is what an auditor receives: it must never look like a sound chain when it is not one. So the
            // chain is verified first and a broken one is refused, naming the first broken report; `report show <id>`
            // still shows any single report for the investigation.
            var problems = ReportChain.Verify(reports, anchor);
            if (problems.Count > 0)
            {
                console.Error.WriteLine($"usd1rec: not exporting: the report chain is broken ({problems.Count} problem{(problems.Count == 1 ? "" : "s")}); first: {problems[0]}");
                console.Error.WriteLine($"usd1rec: run `usd1rec report verify --config {r.GetValue(config)}` for every problem");
                return ExitCodes.Failure;
            }

            var text = r.GetValue(format) switch
            {
                "csv" => ReportFormatter.Csv(reports),
                "md" => ReportFormatter.Markdown(reports),
                _ => ReportFormatter.Json(reports, single: false),
            };
            if (r.GetValue(output) is { } path)
            {
                await File.WriteAllTextAsync(path, text, ct);
            }
            else
            {
                await console.Output.WriteAsync(text);
            }

            return ExitCodes.Ok;
        }));

        report.Subcommands.Add(list);
        report.Subcommands.Add(show);
        report.Subcommands.Add(verify);
        report.Subcommands.Add(export);
        report.Subcommands.Add(ReportPublishCommand.Create(config, console, time));
        return report;
    }

    private static async Task<int> WithStore(string configPath, CliConsole console, TimeProvider time, Func<IReconciliationStore, Task<int>> action)
    {
        var (context, exitCode) = await CommandContext.OpenAsync(new CommandRequest(configPath) { CreatedBy = "reconcile" }, console, time, CancellationToken.None);
        if (context is null)
        {
            return exitCode;
        }

        await using var _ = context;
        var exit = await action(context.Services.GetRequiredService<IReconciliationStore>());
        await console.Output.FlushAsync();
        return exit;
    }
}
