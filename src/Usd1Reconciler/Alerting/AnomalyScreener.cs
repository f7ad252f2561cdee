using Microsoft.Extensions.Logging;
using Usd1Reconciler.Core.Anomalies;
using Usd1Reconciler.Core.Presentation;
using Usd1Reconciler.Core.Supply;
using Usd1Reconciler.Metrics;
using Usd1Reconciler.Storage;

namespace Usd1Reconciler.Alerting;

/// <summary>
/// Screens what indexing stored since the last screen: new supply events against each network's policy, new reorgs
/// against the depth threshold, and each network's latest ledger proof (a mismatch is a condition that stays open
/// until a later proof is ok). Every finding is stored with its evidence and logged with structured properties;
/// pages go through the outbox. Summaries name amounts in token units: the network's stored decimals and the configured symbol.
/// </summary>
internal sealed class AnomalyScreener(
    IIndexStore supplyStore,
    IAnomalyStore anomalyStore,
    IReadOnlyDictionary<string, AnomalyPolicy> policies,
    AnomalyPaging paging,
    TimeSpan refreshAfter,
    ReconcilerMetrics metrics,
    TimeProvider time,
    ILogger logger,
    GovernanceScreener? governance = null,
    string tokenSymbol = "USD1")
{
    private const int BatchSize = 5_000;

    /// <summary>
    /// How long a network's new events wait for its decimals before they are screened in base units. The decimals
    /// are recorded right after the pass that registered the network, so the first events of a fresh store would
    /// otherwise be paged as "5,000,000,000 base units" a moment before "5,000 USD1" was possible; the wait is one or
    /// two screening intervals then. Bounded, so decimals that cannot be read never hold a page back for longer.
    /// </summary>
    internal static readonly TimeSpan DecimalsGrace = TimeSpan.FromSeconds(30);

    private readonly Dictionary<string, DateTimeOffset> _waitingForDecimals = new(StringComparer.Ordinal);

    public async Task<IReadOnlyList<StoredAnomaly>> ScreenAsync(CancellationToken cancellationToken)
    {
        var found = new List<StoredAnomaly>();
        // The control plane first: a token paused on chain makes its network's status Paused for the supply screen,
        // so supply that moves while paused pages as ActivityOnPausedNetwork (issue 15).
        var pausedOnChain = governance is null ? new HashSet<string>() : await governance.ScreenAsync(found, cancellationToken);
        var supplies = await supplyStore.GetSupplyAsync(cancellationToken);
        var units = supplies.ToDictionary(s => s.Name, s => new TokenFormat(s.Token?.Decimals, tokenSymbol), StringComparer.Ordinal);
        foreach (var (network, configured) in policies)
        {
            var policy = pausedOnChain.Contains(network) && configured.Status == NetworkStatus.Active ? configured with { Status = NetworkStatus.Paused } : configured;
            if (WaitForDecimals(network, supplies))
            {
                continue;
            }

            while (true)
            {
                var batch = await anomalyStore.GetUnscreenedEventsAsync(network, BatchSize, cancellationToken);
                if (batch.Count == 0)
                {
                    break;
                }

                var events = batch.Select(b => b.Event).ToList();
                var earliest = events.Where(e => e.BlockTime is not null).Select(e => e.BlockTime!.Value).DefaultIfEmpty(time.GetUtcNow()).Min();
                var history = await anomalyStore.GetWindowHistoryAsync(network, earliest - policy.Window, cancellationToken);
                var anomalies = SupplyAnomalyDetector.Screen(network, policy, events, history, units.GetValueOrDefault(network));
                found.AddRange(await anomalyStore.RecordScreenAsync(anomalies, batch.Select(b => b.RowId).ToList(), paging, time.GetUtcNow(), cancellationToken));
                foreach (var e in events)
                {
                    metrics.EventsIndexed.WithLabels(network, e.Kind == SupplyEventKind.Mint ? "mint" : "burn").Inc();
                }

                if (batch.Count < BatchSize)
                {
                    break;
                }
            }
        }

        var depth = policies.Count == 0 ? 5 : policies.Values.Min(p => p.DeepReorgDepth);
        var (reorgAnomalies, reorgs) = await anomalyStore.ScreenReorgsAsync(depth, paging, time.GetUtcNow(), cancellationToken);
        found.AddRange(reorgAnomalies);
        foreach (var (network, reorgDepth) in reorgs)
        {
            metrics.Reorgs.WithLabels(network).Inc();
            metrics.ReorgDepth.WithLabels(network).Set(reorgDepth);
        }

        await ScreenLedgerProofsAsync(found, supplies, units, cancellationToken);

        foreach (var stored in found)
        {
            var a = stored.Anomaly;
            metrics.Anomalies.WithLabels(a.Rule.ToString(), a.Network).Inc();
            logger.LogWarning(
                "anomaly {Rule} on {Network} at block {Block} tx {Tx}: {Summary} (actor {Actor}, amount {Amount}, {Paging})",
                a.Rule, a.Network, a.BlockNumber, a.TransactionId, a.Summary, a.Actor, a.Amount?.ToString(), stored.PageNote ?? $"paging {stored.PageState}");
        }

        return found;
    }

    private bool WaitForDecimals(string network, IReadOnlyList<NetworkSupply> supplies)
    {
        if (supplies.FirstOrDefault(s => s.Name == network) is { Token: not null })
        {
            _waitingForDecimals.Remove(network);
            return false;
        }

        var now = time.GetUtcNow();
        var since = _waitingForDecimals.TryAdd(network, now) ? now : _waitingForDecimals[network];
        return now - since < DecimalsGrace;
    }

    private async Task ScreenLedgerProofsAsync(List<StoredAnomaly> found, IReadOnlyList<NetworkSupply> supplies, Dictionary<string, TokenFormat> units, CancellationToken cancellationToken)
    {
        foreach (var supply in supplies)
        {
            if (supply.LatestProof is not { } proof || !policies.ContainsKey(supply.Name))
            {
                continue;
            }

            if (proof.Compare() == LedgerProofStatus.Mismatch)
            {
                var anomaly = SupplyAnomalyDetector.LedgerMismatch(supply.Name, proof, units[supply.Name]);
                if (await anomalyStore.RaiseConditionAsync(anomaly, refreshAfter, paging, time.GetUtcNow(), cancellationToken) is { } stored)
                {
                    found.Add(stored);
                }
            }
            else
            {
                var resolved = await anomalyStore.ResolveConditionAsync(AnomalyRule.UnexplainedSupplyChange, supply.Name, paging, time.GetUtcNow(), cancellationToken);
                if (resolved > 0)
                {
                    logger.LogInformation("anomaly {Rule} on {Network} resolved: the ledger proof at block {Block} holds again", AnomalyRule.UnexplainedSupplyChange, supply.Name, proof.BlockNumber);
                }
            }
        }
    }
}
