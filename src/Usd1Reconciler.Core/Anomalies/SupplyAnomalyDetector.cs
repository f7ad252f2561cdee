using System.Globalization;
using System.Numerics;
using Usd1Reconciler.Core.Presentation;
using Usd1Reconciler.Core.Supply;

namespace Usd1Reconciler.Core.Anomalies;

/// <summary>
/// Screens newly indexed supply events against a network's policy. Pure: the caller supplies the new events and the
/// events already stored within the rolling window before them. Window rules use block time; events without one
/// (history backfilled from final ranges) are checked by the per-event rules only.
/// Summaries and descriptions are for people: amounts in token units with the configured symbol (the network's stored
/// decimals; base units, labelled so, while they are unknown), times in UTC. The description also gives every amount
/// in base units, exact, and the anomaly's Amount field stays in base units.
/// </summary>
public static class SupplyAnomalyDetector
{
    public static IReadOnlyList<Anomaly> Screen(
        string network,
        AnomalyPolicy policy,
        IReadOnlyList<SupplyEvent> newEvents,
        IReadOnlyList<SupplyEvent> windowHistory,
        TokenFormat? units = null)
    {
        ArgumentNullException.ThrowIfNull(policy);
        var u = units ?? BaseUnitsOnly;
        string T(BigInteger amount) => u.Format(amount);
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
                    $"{e.Kind} of {T(e.Amount.Value)} on {policy.Status.ToString().ToLowerInvariant()} network {where}",
                    $"The network is configured as {policy.Status}; no supply change is expected there. Actor {e.Actor ?? "unknown"}, holder {e.Holder}."));
            }

            if (e.Kind == SupplyEventKind.Mint)
            {
                if (policy.AllowedMinters is { } allowed && (e.Actor is null || !allowed.Contains(e.Actor)))
                {
                    found.Add(Make(AnomalyRule.UnknownMinter, network, e, "page",
                        $"mint of {T(e.Amount.Value)} by {(e.Actor ?? "an unnamed minter")}, not on the allowlist, {where}",
                        e.Actor is null
                            ? "The token emits no Mint event naming its minter, so the allowlist cannot clear this mint."
                            : $"Minter {e.Actor} minted {T(e.Amount.Value)} ({e.Amount} base units) to {e.Holder}; allowed minters: {string.Join(", ", allowed)}."));
                }

                if (policy.MaxMint is { } maxMint && e.Amount > maxMint)
                {
                    found.Add(Make(AnomalyRule.OversizedMint, network, e, "page",
                        $"mint of {T(e.Amount.Value)} above the limit {T(maxMint.Value)}, {where}",
                        $"Minter {e.Actor ?? "unknown"} minted {T(e.Amount.Value)} ({e.Amount} base units) to {e.Holder}; the per-mint limit is {T(maxMint.Value)} ({maxMint} base units)."));
                }
            }
            else if (policy.MaxBurn is { } maxBurn && e.Amount > maxBurn)
            {
                found.Add(Make(AnomalyRule.OversizedBurn, network, e, "ticket",
                    $"burn of {T(e.Amount.Value)} above the limit {T(maxBurn.Value)}, {where}",
                    $"Burner {e.Actor ?? "unknown"} burned {T(e.Amount.Value)} ({e.Amount} base units) from {e.Holder}; the per-burn limit is {T(maxBurn.Value)} ({maxBurn} base units)."));
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
                    $"net mint {T(netAfter)} within {DurationText.Format(policy.Window)} above the limit {T(maxNet.Value)}, {where}",
                    $"Mints minus burns between {UtcText.Format(start)} and {UtcText.Format(time)} reached {T(netAfter)} ({netAfter} base units); the limit is {T(maxNet.Value)} ({maxNet} base units)."));
            }

            if (e.Kind == SupplyEventKind.Mint && e.Actor is { } minter && policy.MinterQuotas.TryGetValue(minter, out var quota))
            {
                var minted = timeline.Where(t => t.Kind == SupplyEventKind.Mint && string.Equals(t.Actor, minter, StringComparison.OrdinalIgnoreCase))
                    .Aggregate(BigInteger.Zero, (sum, t) => sum + t.Amount.Value);
                if (minted > quota.Value && minted - e.Amount.Value <= quota.Value)
                {
                    found.Add(Make(AnomalyRule.MinterQuotaExceeded, network, e, "page",
                        $"minter {minter} minted {T(minted)} within {DurationText.Format(policy.Window)}, above its quota {T(quota.Value)}, {where}",
                        $"Mints by {minter} between {UtcText.Format(start)} and {UtcText.Format(time)} total {T(minted)} ({minted} base units); its quota is {T(quota.Value)} ({quota} base units)."));
                }
            }
        }

        return found;
    }

    public static Anomaly LedgerMismatch(string network, LedgerProofReading reading, TokenFormat? units = null)
    {
        ArgumentNullException.ThrowIfNull(reading);
        var u = units ?? BaseUnitsOnly;
        // On-chain minus indexed: negative when the index holds more than the chain (e.g. a burn it never saw).
        var difference = reading.OnchainSupply.Value - reading.IndexedSupply;
        return new Anomaly(AnomalyRule.UnexplainedSupplyChange, network, "page",
            $"on-chain supply differs from indexed supply by {u.Format(difference)} on {network} at block {reading.BlockNumber}",
            $"totalSupply at block {reading.BlockNumber} is {u.Format(reading.OnchainSupply)} ({reading.OnchainSupply} base units); Σ final mints − Σ final burns is {u.Format(reading.IndexedSupply)} ({reading.IndexedSupply} base units). Either an event was missed or the token changed supply without emitting one.",
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

    /// <summary>Without the network's decimals no token figure exists: amounts are shown in base units, labelled so.</summary>
    private static readonly TokenFormat BaseUnitsOnly = new(null, string.Empty);
}
