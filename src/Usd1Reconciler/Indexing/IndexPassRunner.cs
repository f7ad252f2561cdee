using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Usd1Reconciler.Core.Ingest;
using Usd1Reconciler.Storage;
using Usd1Reconciler.Storage.Leasing;

namespace Usd1Reconciler.Indexing;

/// <summary>
/// The one pass policy (issue 12), shared by `index`, `reconcile --once` and the scheduled job, so none can drift:
/// <list type="bullet">
/// <item>a successful pass clears the network's failure state in the store (RecordPassSuccess) and then records or
/// re-checks the token identity (<see cref="TokenIdentityGuard"/>);</item>
/// <item>a failed pass records the failure (RecordPassFailure: failing since, last cause), so every reader — another
/// process included — calls the network stale from the first failed pass;</item>
/// <item>a reorg below the final block is recorded, raised as the condition DeepReorg (refused) for paging
/// (<see cref="RefusedReorgAlarm"/>), logged critical and tells the caller to stop the network — before, only the
/// scheduled job raised it, so a refused reorg met by `index` or `reconcile --once` was never paged;</item>
/// <item>logging follows the state, not the firing: one ERR when a network starts failing, one reminder every
/// <see cref="ReminderEvery"/> while it keeps failing (with the latest cause and how long), one line when it
/// recovers; the failed passes in between are logged at debug level.</item>
/// </list>
/// Cancellation of <c>cancellationToken</c> is not a failure: it propagates and nothing is recorded.
/// <para>
/// One writer per network (issue 14.4): a pass runs only while this instance holds the network's writer lease
/// (<paramref name="leases"/>; without one, the whole store is this process's) and is cancelled the moment the lease
/// ends. A pass cut short by a lost lease, or refused by the fence at a commit, is not a failure of the network: the
/// instance that holds the lease now indexes it, so nothing is recorded (recording would itself be a write this
/// instance may no longer make, and would call a healthy network stale).
/// </para>
/// </summary>
internal sealed class IndexPassRunner(IIndexStore store, TokenIdentityGuard tokens, RefusedReorgAlarm refusedReorgs, TimeProvider time, ILogger logger, INetworkWriterLeases? leases = null)
{
    private readonly ConcurrentDictionary<string, FailureState> _failing = new(StringComparer.Ordinal);

    /// <summary>How often a network that keeps failing is logged at ERR again. Default 15 min.</summary>
    public TimeSpan ReminderEvery { get; init; } = TimeSpan.FromMinutes(15);

    /// <summary>Told when each pass ends, so progress lines know a pass is over (its commits it hears from the indexer).</summary>
    public IndexProgressTracker? Progress { get; init; }

    public async Task<IndexPassOutcome> RunAsync(INetworkIndexer indexer, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(indexer);
        var network = indexer.Network;
        if (leases is not null && !leases.IsHeld(network))
        {
            return new IndexPassOutcome(null, new NetworkLeaseLostException(network, leases.InstanceId, "another instance holds it, or it could not be taken"), StopNetwork: false) { NotWriter = true };
        }

        using var whileHeld = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, leases?.HeldToken(network) ?? CancellationToken.None);
        IndexPassResult result;
        try
        {
            result = await indexer.RunPassAsync(whileHeld.Token);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            Progress?.PassEnded(network, null);
            throw;
        }
        catch (Exception ex) when (LostLease(network, ex) is { } lost)
        {
            Progress?.PassEnded(network, null);
            logger.LogWarning("network {Network}: pass stopped, this instance no longer holds the network's writer lease; nothing after that was committed ({Reason})", network, lost.Message);
            return new IndexPassOutcome(null, lost, StopNetwork: false) { NotWriter = true };
        }
        catch (DeepReorganizationException ex)
        {
            Progress?.PassEnded(network, null);
            await RecordFailureAsync(network, ex);
            logger.LogCritical("network {Network}: {Reason}; indexing of this network stops until an operator intervenes", network, ex.Message);
            var raised = await RaiseRefusedReorgAsync(ex);
            return new IndexPassOutcome(null, ex, StopNetwork: true) { RaisedAnomaly = raised };
        }
        catch (Exception ex)
        {
            Progress?.PassEnded(network, null);
            await RecordFailureAsync(network, ex);
            LogFailure(network, ex);
            return new IndexPassOutcome(null, ex, StopNetwork: false);
        }

        Progress?.PassEnded(network, result);
        try
        {
            await store.RecordPassSuccessAsync(network, whileHeld.Token);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested && LostLease(network, ex) is { } lost)
        {
            return new IndexPassOutcome(null, lost, StopNetwork: false) { NotWriter = true };
        }

        if (_failing.TryRemove(network, out var ended))
        {
            logger.LogInformation(
                "network {Network}: indexing recovered after {Failures} failed pass(es) since {Since:O}; indexed to {Tip}, final {Final}",
                network, ended.Failures, ended.Since, result.IndexedTip, result.FinalBlock);
        }

        await tokens.CheckAsync(network, cancellationToken);
        return new IndexPassOutcome(result, null, StopNetwork: false);
    }

    /// <summary>The lost lease behind <paramref name="failure"/> (the fence's refusal, or the pass cancelled because the lease ended), or null.</summary>
    private NetworkLeaseLostException? LostLease(string network, Exception failure)
    {
        for (var e = failure; e is not null; e = e.InnerException)
        {
            if (e is NetworkLeaseLostException lost)
            {
                return lost;
            }
        }

        return failure is OperationCanceledException && leases is not null && leases.HeldToken(network).IsCancellationRequested
            ? new NetworkLeaseLostException(network, leases.InstanceId, "the lease ended during the pass")
            : null;
    }

    private void LogFailure(string network, Exception failure)
    {
        var now = time.GetUtcNow();
        var state = _failing.GetOrAdd(network, _ => new FailureState(now));
        lock (state)
        {
            state.Failures++;
            if (state.Failures == 1)
            {
                state.LastLoggedAt = now;
                logger.LogError("network {Network}: index pass failed, retried at the next pass (the network is stale meanwhile): {Reason}", network, failure.Message);
            }
            else if (now - state.LastLoggedAt >= ReminderEvery)
            {
                state.LastLoggedAt = now;
                logger.LogError(
                    "network {Network}: still failing since {Since:O} ({Failures} failed passes); latest cause: {Reason}",
                    network, state.Since, state.Failures, failure.Message);
            }
            else
            {
                logger.LogDebug("network {Network}: index pass failed again ({Failures} since {Since:O}): {Reason}", network, state.Failures, state.Since, failure.Message);
            }
        }
    }

    /// <summary>
    /// Marks the network failing in the store, so `supply` (another process) shows it stale during the outage. A store
    /// that cannot even record this is logged, not thrown: the pass failure itself is already being reported.
    /// </summary>
    private async Task RecordFailureAsync(string network, Exception failure)
    {
        try
        {
            await store.RecordPassFailureAsync(network, time.GetUtcNow(), failure.Message, CancellationToken.None);
        }
        catch (StoreException ex)
        {
            logger.LogError("network {Network}: could not record the failed pass in the store: {Reason}", network, ex.Message);
        }
    }

    /// <summary>Like <see cref="RecordFailureAsync"/>: a store that cannot take the page is logged, the stop still happens.</summary>
    private async Task<StoredAnomaly?> RaiseRefusedReorgAsync(DeepReorganizationException refused)
    {
        try
        {
            return await refusedReorgs.RaiseAsync(refused, CancellationToken.None);
        }
        catch (StoreException ex)
        {
            logger.LogError("network {Network}: could not record the refused reorg for paging: {Reason}", refused.Network, ex.Message);
            return null;
        }
    }

    private sealed class FailureState(DateTimeOffset since)
    {
        public DateTimeOffset Since { get; } = since;

        public int Failures { get; set; }

        public DateTimeOffset LastLoggedAt { get; set; }
    }
}
