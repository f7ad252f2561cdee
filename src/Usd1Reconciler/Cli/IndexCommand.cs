using Microsoft.Extensions.Logging;
using Usd1Reconciler.Configuration;
using Usd1Reconciler.Core.Ingest;
using Usd1Reconciler.Indexing;
using Usd1Reconciler.Storage.Sqlite;

namespace Usd1Reconciler.Cli;

/// <summary>
/// `usd1rec index`: index every configured network up to its head. With --once, one pass per network and exit;
/// otherwise follow the heads until stopped. Networks run side by side; one failing network does not stop the others.
/// </summary>
internal static class IndexCommand
{
    public static async Task<int> RunAsync(string configPath, bool once, CliConsole console, TimeProvider time, CancellationToken cancellationToken)
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

        using var loggers = LoggingSetup.Create(config.Options.Logging);
        var logger = loggers.CreateLogger("usd1rec.index");
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

        // Per-request timeouts live in the JSON-RPC client; the HttpClient's own would cut long backfill replies.
        using var http = new HttpClient { Timeout = Timeout.InfiniteTimeSpan };
        var networks = config.Options.Networks
            .Select(n => (Options: n, Indexer: NetworkIndexerFactory.Create(n, store, http, time, loggers)))
            .ToList();

        var outcomes = await Task.WhenAll(networks.Select(n => once
            ? RunOnceAsync(n.Indexer, store, console, logger, time, cancellationToken)
            : FollowAsync(n.Indexer, store, n.Options.PollInterval, console, logger, time, cancellationToken)));
        return outcomes.All(ok => ok) ? ExitCodes.Ok : ExitCodes.Failure;
    }

    private static async Task<bool> RunOnceAsync(INetworkIndexer indexer, SqliteSupplyStore store, CliConsole console, ILogger logger, TimeProvider time, CancellationToken cancellationToken)
    {
        try
        {
            var result = await indexer.RunPassAsync(cancellationToken);
            await store.RecordPassSuccessAsync(indexer.Network, cancellationToken);
            console.WriteLine(Describe(result));
            return true;
        }
        catch (Exception ex) when (IsNetworkFailure(ex))
        {
            logger.LogError("network {Network}: indexing failed: {Reason}", indexer.Network, ex.Message);
            await RecordFailureAsync(store, indexer.Network, ex, logger, time);
            console.Error.WriteLine($"usd1rec: {NameNetwork(indexer.Network, ex.Message)}");
            return false;
        }
    }

    private static async Task<bool> FollowAsync(INetworkIndexer indexer, SqliteSupplyStore store, TimeSpan pollInterval, CliConsole console, ILogger logger, TimeProvider time, CancellationToken cancellationToken)
    {
        var healthy = true;
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                var result = await indexer.RunPassAsync(cancellationToken);
                await store.RecordPassSuccessAsync(indexer.Network, cancellationToken);
                if (result.EventsAdded > 0 || result.ReorgsHandled > 0 || !healthy)
                {
                    console.WriteLine(Describe(result));
                }

                healthy = true;
            }
            catch (DeepReorganizationException ex)
            {
                // Final history changed: continuing would build on a ledger we can no longer vouch for.
                logger.LogCritical("network {Network}: {Reason}; indexing of this network stopped", indexer.Network, ex.Message);
                await RecordFailureAsync(store, indexer.Network, ex, logger, time);
                console.Error.WriteLine($"usd1rec: {NameNetwork(indexer.Network, ex.Message)}");
                return false;
            }
            catch (Exception ex) when (IsNetworkFailure(ex) && !cancellationToken.IsCancellationRequested)
            {
                healthy = false;
                logger.LogError("network {Network}: pass failed, retrying in {Interval}: {Reason}", indexer.Network, pollInterval, ex.Message);
                await RecordFailureAsync(store, indexer.Network, ex, logger, time);
            }

            try
            {
                await Task.Delay(pollInterval, time, cancellationToken);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }

        return true;
    }

    /// <summary>
    /// Marks the network failing in the store, so `supply` (another process) shows its proof stale during the outage.
    /// A store that cannot even record this is logged, not thrown: the pass failure is already being reported.
    /// </summary>
    private static async Task RecordFailureAsync(SqliteSupplyStore store, string network, Exception failure, ILogger logger, TimeProvider time)
    {
        try
        {
            await store.RecordPassFailureAsync(network, time.GetUtcNow(), failure.Message, CancellationToken.None);
        }
        catch (Microsoft.Data.Sqlite.SqliteException ex)
        {
            logger.LogError("network {Network}: could not record the failed pass in the store: {Reason}", network, ex.Message);
        }
    }

    // Everything but cancellation is one network's failure: it is reported with the network's name and the other
    // networks carry on. Nothing is swallowed: --once exits non-zero, and the follow loop logs and retries.
    private static bool IsNetworkFailure(Exception ex) => ex is not OperationCanceledException;

    private static string Describe(IndexPassResult r) =>
        $"network {r.Network}: indexed to {r.IndexedTip}, final {r.FinalBlock}, {r.EventsAdded} new events, {r.ReorgsHandled} reorgs, ledger proof {r.Proof.ToString().ToLowerInvariant()}";

    // Most failures already say which network they concern; the rest get its name, and none gets it twice.
    private static string NameNetwork(string network, string message) =>
        message.StartsWith($"network '{network}'", StringComparison.Ordinal) ? message : $"network '{network}': {message}";
}
