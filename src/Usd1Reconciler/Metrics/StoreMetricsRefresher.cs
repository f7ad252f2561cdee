using System.Numerics;
using Usd1Reconciler.Core.Supply;
using Usd1Reconciler.Storage;

namespace Usd1Reconciler.Metrics;

/// <summary>
/// Sets the per-network gauges from the store, so that /metrics says what the store says (and what `usd1rec supply`
/// prints), including staleness: a network without a fresh ledger proof is marked stale, never shown as all good.
/// Supply in tokens uses the decimals stored with the network (read once, never re-read here), so the gauges keep
/// their values through an RPC outage and a restart. A network whose decimals were never read has no supply series
/// (usd1_token_decimals -1 says why) and the total is not exported, since a sum without it would be wrong.
/// </summary>
internal sealed class StoreMetricsRefresher(
    IIndexStore store,
    IAnomalyStore anomalies,
    ReconcilerMetrics metrics,
    IReadOnlyDictionary<string, TimeSpan> staleAfterOf,
    TimeProvider time)
{
    private static readonly string[] ProofStatuses = ["ok", "mismatch", "stale"];
    private static readonly string[] SupplyKinds = ["indexed", "provisional", "onchain"];

    // The series exported per network for usd1_network_unsupported_transaction_info, so a changed or cleared one is removed.
    private readonly Dictionary<string, (string Signature, string Version)> _unsupported = new(StringComparer.Ordinal);

    public async Task RefreshAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var total = 0.0;
        var totalKnown = true;
        foreach (var s in await store.GetSupplyAsync(cancellationToken))
        {
            var staleAfter = staleAfterOf.TryGetValue(s.Name, out var budget) ? budget : new Configuration.NetworkOptions().StaleAfter;
            var status = LedgerProof.Evaluate(s.LatestProof, s.FinalBlock, now, staleAfter, s.FailingSince);
            var stale = status == LedgerProofStatus.Stale || s.LastIndexedAt is null || now - s.LastIndexedAt > staleAfter;
            metrics.TokenIdentityMismatch.WithLabels(s.Name).Set(s.TokenIdentityMismatch is null ? 0 : 1);
            metrics.TokenDecimals.WithLabels(s.Name).Set(s.Token?.Decimals ?? -1);
            if (s.Token?.Decimals is not { } decimals)
            {
                totalKnown = false;
                foreach (var kind in SupplyKinds)
                {
                    metrics.Supply.RemoveLabelled(s.Name, kind);
                }
            }
            else
            {
                metrics.Supply.WithLabels(s.Name, "indexed").Set(Tokens(s.IndexedSupply, decimals));
                metrics.Supply.WithLabels(s.Name, "provisional").Set(Tokens(s.ProvisionalSupply, decimals));
                if (s.LatestProof is { } proof)
                {
                    metrics.Supply.WithLabels(s.Name, "onchain").Set(Tokens(proof.OnchainSupply.Value, decimals));
                }

                total += Tokens(s.IndexedSupply, decimals);
            }

            var statusText = status.ToString().ToLowerInvariant();
            foreach (var candidate in ProofStatuses)
            {
                metrics.LedgerProof.WithLabels(s.Name, candidate).Set(candidate == statusText ? 1 : 0);
            }

            metrics.NetworkStale.WithLabels(s.Name).Set(stale ? 1 : 0);
            RefreshUnsupportedTransaction(s.Name, s.FailingReason);
            metrics.FinalBlock.WithLabels(s.Name).Set(s.FinalBlock);
            if (s.LastIndexedAt is { } indexedAt)
            {
                metrics.LastSuccess.WithLabels(s.Name).Set(indexedAt.ToUnixTimeMilliseconds() / 1000.0);
            }

            if (await store.GetNewestBlockTimeAsync(s.NetworkId, cancellationToken) is { } newest)
            {
                metrics.HeadLag.WithLabels(s.Name).Set(Math.Max(0, (now - newest).TotalSeconds));
            }
        }

        if (totalKnown)
        {
            metrics.TotalSupply.WithLabels("indexed").Set(total);
        }
        else
        {
            metrics.TotalSupply.RemoveLabelled("indexed");
        }

        metrics.AlertsPending.Set(await anomalies.CountPendingAlertsAsync(cancellationToken));
    }

    /// <summary>
    /// One series while the network's latest failed pass stopped at a transaction version this build cannot decode,
    /// labelled with what the operator needs (signature, version); removed when the passes succeed or fail otherwise.
    /// Read from the stored failing reason, so it survives a restart and agrees with `usd1rec supply`.
    /// </summary>
    private void RefreshUnsupportedTransaction(string network, string? failingReason)
    {
        (string Signature, string Version)? now = Solana.Rpc.UnsupportedTransactionVersionException.TryRead(failingReason, out var signature, out var version)
            ? (signature, version)
            : null;
        lock (_unsupported)
        {
            if (_unsupported.TryGetValue(network, out var before) && before != now)
            {
                metrics.UnsupportedTransaction.RemoveLabelled(network, before.Signature, before.Version);
                _unsupported.Remove(network);
            }

            if (now is { } stopped)
            {
                metrics.UnsupportedTransaction.WithLabels(network, stopped.Signature, stopped.Version).Set(1);
                _unsupported[network] = stopped;
            }
        }
    }

    /// <summary>Base units to whole tokens as a float, for dashboards only (exact figures stay in the store).</summary>
    internal static double Tokens(BigInteger baseUnits, int decimals) => (double)baseUnits / Math.Pow(10, decimals);
}
