using System.Globalization;
using System.Numerics;
using Usd1Reconciler.Core.Supply;

namespace Usd1Reconciler.Core.Anomalies;

/// <summary>
/// Screens newly indexed supply events against a network's policy. Pure: the caller supplies the new events and the
/// events already stored within the rolling window before them. Window rules use block time; events without one
/// (history backfilled from final ranges) are checked by the per-event rules only.
/// </summary>
public static class SupplyAnomalyDetector
{
    public static IReadOnlyList<Anomaly> Screen(
        string network,
        AnomalyPolicy policy,
        IReadOnlyList<SupplyEvent> newEvents,
        IReadOnlyList<SupplyEvent> windowHistory)
    {
        ArgumentNullException.ThrowIfNull(policy);
        ArgumentNullException.ThrowIfNull(newEvents);
        ArgumentNullException.ThrowIfNull(windowHistory);
        var found = new List<Anomaly>();
        var timeline = windowHistory.Where(e => e.BlockTime is not null).ToList();
        foreach (var e in newEvents.OrderBy(e => e.BlockNumber).ThenBy(e => e.Position).ThenBy(e => e.SubPosition))
        {
            var where = $"{network} block {e.BlockNumber} tx {e.TransactionId}";
            if (policy.Status != NetworkStatus.Active)
            {
                found.Add(Make(AnomalyRule.ActivityOnPausedNetwork, network, e, "page",
                    $"{e.Kind} of {e.Amount} on {policy.Status.ToString().ToLowerInvariant()} network {where}",
                    $"The network is configured as {policy.Status}; no supply change is expected there. Actor {e.Actor ?? "unknown"}, holder {e.Holder}."));
            }

            if (e.Kind == SupplyEventKind.Mint)
            {
                if (policy.AllowedMinters is { } allowed && (e.Actor is null || !allowed.Contains(e.Actor)))
                {
                    found.Add(Make(AnomalyRule.UnknownMinter, network, e, "page",
                        $"mint of {e.Amount} by {(e.Actor ?? "an unnamed minter")}, not on the allowlist, {where}",
                        e.Actor is null
                            ? "The token emits no Mint event naming its minter, so the allowlist cannot clear this mint."
                            : $"Minter {e.Actor} minted {e.Amount} base units to {e.Holder}; allowed minters: {string.Join(", ", allowed)}."));
                }

                if (policy.MaxMint is { } maxMint && e.Amount > maxMint)
                {
                    found.Add(Make(AnomalyRule.OversizedMint, network, e, "page",
                        $"mint of {e.Amount} above the limit {maxMint}, {where}",
                        $"Minter {e.Actor ?? "unknown"} minted {e.Amount} base units to {e.Holder}; the per-mint limit is {maxMint}."));
                }
            }
            else if (policy.MaxBurn is { } maxBurn && e.Amount > maxBurn)
            {
                found.Add(Make(AnomalyRule.OversizedBurn, network, e, "ticket",
                    $"burn of {e.Amount} above the limit {maxBurn}, {where}",
                    $"Burner {e.Actor ?? "unknown"} burned {e.Amount} base units from {e.Holder}; the per-burn limit is {maxBurn}."));
            }

            if (e.BlockTime is not { } time)
            {
                continue;
            }

            var start = time - policy.Window;
            timeline.RemoveAll(t => t.BlockTime < start);
            var netBefore = Net(timeline);
            timeline.Add(e);
            var netAfter = Net(timeline);
            if (policy.MaxNetMint is { } maxNet && netAfter > maxNet.Value && netBefore <= maxNet.Value)
            {
                // Fires on the event that crosses the limit, not on every event while above it.
                found.Add(Make(AnomalyRule.NetMintWindowExceeded, network, e, "page",
                    $"net mint {netAfter} within {Describe(policy.Window)} above the limit {maxNet}, {where}",
                    $"Mints minus burns between {start:O} and {time:O} reached {netAfter} base units; the limit is {maxNet}."));
            }

            if (e.Kind == SupplyEventKind.Mint && e.Actor is { } minter && policy.MinterQuotas.TryGetValue(minter, out var quota))
            {
                var minted = timeline.Where(t => t.Kind == SupplyEventKind.Mint && string.Equals(t.Actor, minter, StringComparison.OrdinalIgnoreCase))
                    .Aggregate(BigInteger.Zero, (sum, t) => sum + t.Amount.Value);
                if (minted > quota.Value && minted - e.Amount.Value <= quota.Value)
                {
                    found.Add(Make(AnomalyRule.MinterQuotaExceeded, network, e, "page",
                        $"minter {minter} minted {minted} within {Describe(policy.Window)}, above its quota {quota}, {where}",
                        $"Mints by {minter} between {start:O} and {time:O} total {minted} base units; its quota is {quota}."));
                }
            }
        }

        return found;
    }

    public static Anomaly LedgerMismatch(string network, LedgerProofReading reading)
    {
        ArgumentNullException.ThrowIfNull(reading);
        var difference = reading.OnchainSupply.Value - reading.IndexedSupply;
        return new Anomaly(AnomalyRule.UnexplainedSupplyChange, network, "page",
            $"on-chain supply differs from indexed supply by {difference} on {network} at block {reading.BlockNumber}",
            $"totalSupply at block {reading.BlockNumber} is {reading.OnchainSupply}; Σ final mints − Σ final burns is {reading.IndexedSupply}. Either an event was missed or the token changed supply without emitting one.",
            reading.BlockNumber, null, null, null, reading.CheckedAt,
            string.Create(CultureInfo.InvariantCulture, $"{AnomalyRule.UnexplainedSupplyChange}|{network}|{reading.BlockNumber}"));
    }

    public static Anomaly DeepReorg(string network, long block, int depth, string detail, DateTimeOffset at, bool refused) =>
        new(AnomalyRule.DeepReorg, network, "page",
            refused
                ? $"reorg below the final block on {network} at block {block}: indexing stopped"
                : $"reorg of depth {depth} on {network} at block {block}",
            detail, block, null, null, null, at,
            string.Create(CultureInfo.InvariantCulture, $"{AnomalyRule.DeepReorg}|{network}|{block}|{depth}"));

    /// <summary>
    /// The chain's token decimals or symbol differ from the stored ones: every figure in tokens or dollars would change
    /// scale, so it is a condition paged until the chain agrees with the stored identity again.
    /// </summary>
    public static Anomaly TokenIdentityChanged(string network, string change, string detail, DateTimeOffset at) =>
        new(AnomalyRule.TokenIdentityChanged, network, "page",
            $"token identity changed on {network}: {change}",
            $"{detail}. Figures keep the stored identity and the network's reconciliation input is untrusted until an operator acts (runbook TokenIdentityChanged).",
            null, null, null, null, at,
            $"{AnomalyRule.TokenIdentityChanged}|{network}|{change}");

    private static Anomaly Make(AnomalyRule rule, string network, SupplyEvent e, string severity, string summary, string description) =>
        new(rule, network, severity, summary, description, e.BlockNumber, e.TransactionId, e.Actor, e.Amount, e.BlockTime,
            string.Create(CultureInfo.InvariantCulture, $"{rule}|{network}|{e.TransactionId}|{e.Position}|{e.SubPosition}"));

    private static BigInteger Net(List<SupplyEvent> events) =>
        events.Aggregate(BigInteger.Zero, (sum, t) => t.Kind == SupplyEventKind.Mint ? sum + t.Amount.Value : sum - t.Amount.Value);

    private static string Describe(TimeSpan window) =>
        window.TotalHours >= 1 ? $"{window.TotalHours:0.##} h" : $"{window.TotalMinutes:0.##} min";
}
