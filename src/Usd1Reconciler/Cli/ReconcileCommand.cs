using System.CommandLine;
using Microsoft.Extensions.Logging;
using Usd1Reconciler.Core.Reconciliation;
using Usd1Reconciler.Indexing;
using Usd1Reconciler.Reconciliation;
using Usd1Reconciler.Storage.Sqlite;

namespace Usd1Reconciler.Cli;

/// <summary>
/// `usd1rec reconcile --once`: one complete cycle — an index pass per network (so the ledger proofs are current),
/// one poll per feed, then the rules — and the report appended to the hash chain. Exit code says the verdict:
/// 0 Covered, 3 Undercollateralized, 4 Inconclusive (1 store failure or another writer, 2 invalid configuration).
/// Index passes follow the shared pass policy (<see cref="IndexPassRunner"/>): a failure is recorded, and so is the
/// recovery, so a network that failed earlier is current again as soon as a pass succeeds. A writer: it holds the
/// store's writer lease, and beside another writer it is refused before anything is written (no report appended).
/// </summary>
internal static class ReconcileCommand
{
    public static Command Create(Option<string> config, CliConsole console, TimeProvider time)
    {
        var once = new Option<bool>("--once") { Description = "Run one cycle (index, poll feeds, reconcile) and exit; `usd1rec run` reconciles on a schedule." };
        var json = new Option<bool>("--json") { Description = "Print the stored report as JSON." };
        var at = new Option<string?>("--at")
        {
            Description = "Point-in-time mode: reconcile supply and reserves as they stood at an ISO-8601 UTC time, or at a feed's as-of time with feed:<name>.",
        };
        var command = new Command("reconcile", "Reconcile circulating supply against reserves once and store the hash-chained report.") { config, once, json, at };
        command.SetAction((result, ct) => RunAsync(result.GetValue(config)!, result.GetValue(once), result.GetValue(json), console, time, ct, result.GetValue(at)));
        return command;
    }

    public static async Task<int> RunAsync(string configPath, bool once, bool json, CliConsole console, TimeProvider time, CancellationToken cancellationToken, string? at = null)
    {
        if (!once)
        {
            console.Error.WriteLine("usd1rec: reconcile runs one cycle and needs --once; `usd1rec run` reconciles on a schedule");
            return ExitCodes.InvalidConfiguration;
        }

        if (!CommandSupport.TryLoadForReconciliation(configPath, console, out var config))
        {
            return ExitCodes.InvalidConfiguration;
        }

        using var loggers = LoggingSetup.Create(config.Options.Logging);
        var logger = loggers.CreateLogger("usd1rec.reconcile");
        await using var lease = await WriterLeaseGate.TryAcquireAsync(config, "reconcile", console, time, loggers, cancellationToken);
        if (lease is null)
        {
            return ExitCodes.Failure;
        }

        if (!CommandSupport.TryOpenStore(config, time, console, out var store))
        {
            return ExitCodes.Failure;
        }

        using var stopping = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, lease.Lost);
        cancellationToken = stopping.Token;
        var reconciliationStore = new SqliteReconciliationStore(store);
        using var http = new HttpClient { Timeout = Timeout.InfiniteTimeSpan };
        var tokens = TokenIdentityGuard.Create(config, store, http, time, loggers);
        var passes = new IndexPassRunner(store, tokens, time, loggers.CreateLogger("usd1rec.index"));
        foreach (var network in config.Options.Networks)
        {
            var outcome = await passes.RunAsync(NetworkIndexerFactory.Create(network, store, http, time, loggers), cancellationToken);
            if (outcome.Result is { } pass)
            {
                logger.LogInformation("network {Network}: final {Final}, ledger proof {Proof}", network.Name, pass.FinalBlock, pass.Proof);
            }
            else
            {
                // Recorded as failing: the stale proof makes the verdict Inconclusive and names the network.
                console.Error.WriteLine($"usd1rec: network '{network.Name}': {outcome.Failure!.Message}");
            }
        }

        foreach (var poller in ReserveFeedFactory.CreateAll(config, reconciliationStore, http, time, loggers))
        {
            var outcome = await poller.PollAsync(cancellationToken);
            if (outcome.Reason is not null)
            {
                console.Error.WriteLine($"usd1rec: feed '{outcome.Feed}': {outcome.Status}: {outcome.Reason}");
            }
        }

        var runner = new ReconciliationRunner(
            config,
            new CirculatingSupplyReader(config.Options.Networks, store, tokens, http, loggers),
            reconciliationStore,
            reconciliationStore,
            time,
            logger,
            store);
        DateTimeOffset? asOf = null;
        if (at is not null)
        {
            asOf = await ResolvePointInTimeAsync(at, reconciliationStore, cancellationToken);
            if (asOf is null)
            {
                console.Error.WriteLine($"usd1rec: --at '{at}' is neither an ISO-8601 time with an offset (e.g. 2026-10-31T23:59:59Z) nor feed:<name> of a feed with an accepted snapshot");
                return ExitCodes.InvalidConfiguration;
            }
        }

        var (report, stored) = asOf is null
            ? await runner.RunAsync(ReconciliationRunner.Once, cancellationToken)
            : await runner.RunAsync(ReconciliationRunner.PointInTime, cancellationToken, asOf);
        await console.Output.WriteAsync(json ? ReportFormatter.Json([stored], single: true) : ReportFormatter.Summary(stored));
        await console.Output.FlushAsync(cancellationToken);
        return report.Verdict switch
        {
            ReconciliationVerdict.Covered => ExitCodes.Ok,
            ReconciliationVerdict.Undercollateralized => ExitCodes.Undercollateralized,
            _ => ExitCodes.Inconclusive,
        };
    }

    /// <summary>An explicit UTC time, or "feed:NAME" for the as-of time of that feed's latest accepted snapshot.</summary>
    private static async Task<DateTimeOffset?> ResolvePointInTimeAsync(string at, SqliteReconciliationStore store, CancellationToken cancellationToken)
    {
        if (at.StartsWith("feed:", StringComparison.Ordinal))
        {
            return (await store.GetLatestSnapshotAsync(at["feed:".Length..], cancellationToken))?.AsOf;
        }

        return DateTimeOffset.TryParse(at, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AssumeUniversal | System.Globalization.DateTimeStyles.AdjustToUniversal, out var time)
            ? time
            : null;
    }
}
