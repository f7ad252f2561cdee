using Microsoft.Extensions.Logging;
using Usd1Reconciler.Core.Anomalies;
using Usd1Reconciler.Core.Governance;
using Usd1Reconciler.Metrics;
using Usd1Reconciler.Storage;

namespace Usd1Reconciler.Alerting;

/// <summary>
/// Screens the control plane of every network after indexing (issue 15): folds the stored changes (final and unfinal,
/// so a reorg that removed a change is simply a refold without it), checks the state against the network's policy and
/// keeps one GovernanceDrift condition per network open while drift exists — a new set of drift items replaces the
/// paged one, no drift resolves it — and a GovernanceProofMismatch condition while the latest proof mismatches.
/// Returns the networks whose token is paused on chain, which the supply screen treats as status Paused. A network
/// without a governance proof yet (its first pass still running) is not judged.
/// </summary>
internal sealed class GovernanceScreener(
    IGovernanceStore governanceStore,
    IAnomalyStore anomalyStore,
    IReadOnlyDictionary<string, GovernancePolicy> policies,
    AnomalyPaging paging,
    TimeSpan refreshAfter,
    ReconcilerMetrics metrics,
    TimeProvider time,
    ILogger logger)
{
    private const int OpenLookup = 500;

    public async Task<IReadOnlySet<string>> ScreenAsync(List<StoredAnomaly> found, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(found);
        var paused = new HashSet<string>(StringComparer.Ordinal);
        var recent = await anomalyStore.GetRecentAnomaliesAsync(OpenLookup, cancellationToken);
        foreach (var (network, policy) in policies)
        {
            // Before the network's first governance proof the first index pass has not finished: the state folded so
            // far (a backfill halfway through, or nothing yet) is not the chain's, and judging it would page an owner
            // or a role as missing that the next blocks hold. No verdict, no page, until a pass has been completed.
            var proof = await governanceStore.GetGovernanceProofAsync(network, cancellationToken);
            if (proof is null)
            {
                continue;
            }

            var changes = await governanceStore.GetGovernanceChangesAsync(network, cancellationToken);
            var state = GovernanceFold.Fold(network, changes).State;
            if (state.Paused == true)
            {
                paused.Add(network);
            }

            var drift = GovernanceDriftCheck.Check(state, policy);
            metrics.GovernanceDriftItems.WithLabels(network).Set(drift.Count);
            metrics.GovernancePaused.WithLabels(network).Set(state.Paused == true ? 1 : 0);
            var now = time.GetUtcNow();
            var open = recent.Where(a => a.Anomaly.Rule == AnomalyRule.GovernanceDrift && a.Anomaly.Network == network && a.ResolvedAt is null).ToList();
            if (drift.Count == 0)
            {
                if (open.Count > 0 && await anomalyStore.ResolveConditionAsync(AnomalyRule.GovernanceDrift, network, paging, now, cancellationToken) > 0)
                {
                    logger.LogInformation("anomaly {Rule} on {Network} resolved: the governance state is within policy again", AnomalyRule.GovernanceDrift, network);
                }
            }
            else
            {
                var setKey = GovernanceAnomalies.DriftSetKey(network, drift);
                if (open.Count > 0 && !open.Any(a => a.Anomaly.Fingerprint.StartsWith(setKey + "|", StringComparison.Ordinal)))
                {
                    // Another set of drift items is paged: that page is resolved and this set paged in its place, so a
                    // second role grant while the first is still open pages at once instead of waiting for a refresh.
                    await anomalyStore.ResolveConditionAsync(AnomalyRule.GovernanceDrift, network, paging, now, cancellationToken);
                }

                if (await anomalyStore.RaiseConditionAsync(GovernanceAnomalies.Drift(network, drift, now), refreshAfter, paging, now, cancellationToken) is { } raised)
                {
                    found.Add(raised);
                }
            }

            await ScreenProofAsync(network, proof, found, now, cancellationToken);
        }

        return paused;
    }

    private async Task ScreenProofAsync(string network, GovernanceProofReading proof, List<StoredAnomaly> found, DateTimeOffset now, CancellationToken cancellationToken)
    {
        GovernanceProofSeries.Record(metrics, proof);
        if (proof.Status == GovernanceProofStatus.Mismatch)
        {
            if (await anomalyStore.RaiseConditionAsync(GovernanceAnomalies.ProofMismatch(proof), refreshAfter, paging, now, cancellationToken) is { } raised)
            {
                found.Add(raised);
            }
        }
        else if (proof.Status == GovernanceProofStatus.Ok
            && await anomalyStore.ResolveConditionAsync(AnomalyRule.GovernanceProofMismatch, network, paging, now, cancellationToken) > 0)
        {
            // A stale proof neither confirms nor clears a mismatch: only an ok one resolves it.
            logger.LogInformation("anomaly {Rule} on {Network} resolved: the governance proof at block {Block} holds again", AnomalyRule.GovernanceProofMismatch, network, proof.BlockNumber);
        }
    }
}
