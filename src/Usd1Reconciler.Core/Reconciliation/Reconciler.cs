using System.Globalization;
using Usd1Reconciler.Core.Amounts;
using Usd1Reconciler.Core.Supply;

namespace Usd1Reconciler.Core.Reconciliation;

/// <summary>
/// The reconciliation rules (invariants 4–6), pure. Order of judgement:
/// 1. Inputs: every network needs an Ok ledger proof and no reading problem; every feed needs a snapshot whose as-of
///    time is within its freshness budget (age equal to the budget is still fresh). Any failure → Inconclusive, naming
///    each failing input. An Inconclusive report carries no circulating, reserve, shortfall or coverage figure and no
///    rule results (each would be computed from the missing input: a partial sum, or base units read without their
///    decimals), only the per-input details and the last conclusive result (invariant 9).
/// 2. Coverage: reserves ≥ circulating × MinimumCoverageBps / 10000 (requirement rounded up).
/// 3. Liquidity: reserves liquid within LiquidityDays (business days under the policy's calendar) ≥ circulating ×
///    LiquidityShareBps / 10000 — or, with stress from observation, ≥ the observed peak runway-window net redemptions
///    when that is larger.
/// 4. Concentration: no custodian and no bank above MaxConcentrationBps of total reserves (allowance rounded down).
/// Any rule failing → Undercollateralized. Amounts are exact (<see cref="UsdAmount"/>): supply in base units is
/// converted by the token's decimals, reserves are parsed from decimal text, neither ever passes through a double.
/// </summary>
public static class Reconciler
{
    public static ReconciliationReport Evaluate(ReconciliationInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var failing = new List<string>();
        var circulating = UsdAmount.Zero;
        foreach (var network in input.Networks)
        {
            // A network with a problem or an unproven ledger is never part of a sum, not even an informational one.
            if (network.Problem is not null)
            {
                failing.Add($"network {network.Network}: {network.Problem}");
            }
            else if (network.Proof != LedgerProofStatus.Ok)
            {
                failing.Add($"network {network.Network}: ledger proof {network.Proof.ToString().ToLowerInvariant()}");
            }
            else if (network.CirculatingUnits is not { } units)
            {
                failing.Add($"network {network.Network}: no on-chain supply reading");
            }
            else if (units.Sign < 0)
            {
                failing.Add($"network {network.Network}: excluded balances exceed the on-chain supply at {network.Block}");
            }
            else
            {
                circulating += UsdAmount.FromTokenUnits(units, network.Decimals);
            }
        }

        var accounts = new List<(string Custodian, Reserves.ReserveAccount Account)>();
        foreach (var feed in input.Feeds)
        {
            if (feed.Snapshot is null)
            {
                failing.Add($"feed {feed.Feed}: no accepted snapshot" + (feed.LatestRejection is null ? string.Empty : $" (last rejection: {feed.LatestRejection})"));
                continue;
            }

            var age = input.EvaluatedAt - feed.Snapshot.AsOf;
            if (age > feed.StaleAfter)
            {
                failing.Add($"feed {feed.Feed}: snapshot {feed.Snapshot.Id} as of {feed.Snapshot.AsOf.ToString("O", CultureInfo.InvariantCulture)} is {age} old, beyond its budget of {feed.StaleAfter}");
            }

            accounts.AddRange(feed.Snapshot.Accounts.Select(a => (feed.Snapshot.Custodian, a)));
        }

        if (input.Feeds.Count == 0)
        {
            failing.Add("reserves: no feed is configured");
        }

        if (failing.Count > 0)
        {
            return new ReconciliationReport(
                input.Kind,
                input.EvaluatedAt,
                ReconciliationVerdict.Inconclusive,
                CirculatingSupply: null,
                Reserves: null,
                Shortfall: null,
                CoverageBps: null,
                failing,
                Rules: [],
                input.Networks,
                input.Feeds,
                input.Policy,
                input.LastConclusive,
                input.InconclusiveSince ?? input.EvaluatedAt);
        }

        var reserves = accounts.Aggregate(UsdAmount.Zero, (sum, a) => sum + a.Account.Amount);
        var policy = input.Policy;
        var liquid = LiquidReserves(accounts.Select(a => a.Account), policy, input.EvaluatedAt);
        var runRisk = input.Redemptions is { } redemptions ? Runway(input, redemptions, circulating, liquid) : null;
        var rules = new List<RuleResult>
        {
            Coverage(circulating, reserves, policy),
            Liquidity(circulating, liquid, policy, runRisk),
            Concentration(reserves, accounts, policy),
        };

        var verdict = rules.All(r => r.Passed) ? ReconciliationVerdict.Covered : ReconciliationVerdict.Undercollateralized;
        var shortfall = verdict == ReconciliationVerdict.Undercollateralized ? rules[0].Shortfall : UsdAmount.Zero;
        return new ReconciliationReport(
            input.Kind,
            input.EvaluatedAt,
            verdict,
            circulating,
            reserves,
            shortfall,
            reserves.RatioBps(circulating),
            failing,
            rules,
            input.Networks,
            input.Feeds,
            policy,
            RunRisk: runRisk);
    }

    /// <summary>
    /// Reserves liquid within LiquidityDays: with a calendar, daysToLiquidity counts business days from the evaluation
    /// date (so a long weekend pushes a T+1 position out of a two-day window); without one, calendar days.
    /// An account whose feed gives no daysToLiquidity is never liquid.
    /// </summary>
    public static UsdAmount LiquidReserves(IEnumerable<Reserves.ReserveAccount> accounts, ReconciliationPolicy policy, DateTimeOffset evaluatedAt)
    {
        ArgumentNullException.ThrowIfNull(accounts);
        ArgumentNullException.ThrowIfNull(policy);
        return accounts
            .Where(a => a.DaysToLiquidity is { } days && (policy.Calendar is { } calendar
                ? calendar.IsLiquidWithin(evaluatedAt, days, policy.LiquidityDays)
                : days <= policy.LiquidityDays))
            .Aggregate(UsdAmount.Zero, (sum, a) => sum + a.Amount);
    }

    private static Redemptions.RunRisk Runway(ReconciliationInput input, Redemptions.RedemptionInput r, UsdAmount circulating, UsdAmount liquid)
    {
        // Only proven networks are in a conclusive report; their decimals turn each network's units into USD.
        var decimals = input.Networks.ToDictionary(n => n.Network, n => n.Decimals, StringComparer.Ordinal);
        var windows = new List<Redemptions.NetRedemption>();
        foreach (var window in r.Windows)
        {
            foreach (var n in input.Networks)
            {
                var net = Redemptions.RedemptionVelocity.Net(r.Hours, decimals, input.EvaluatedAt, window, n.Network);
                var networkCirculating = n.CirculatingUnits is { } units ? UsdAmount.FromTokenUnits(units, n.Decimals) : UsdAmount.Zero;
                windows.Add(new Redemptions.NetRedemption(n.Network, window, net, Redemptions.RedemptionVelocity.ShareBps(net, networkCirculating)));
            }

            var total = Redemptions.RedemptionVelocity.Net(r.Hours, decimals, input.EvaluatedAt, window, null);
            windows.Add(new Redemptions.NetRedemption(Redemptions.NetRedemption.Total, window, total, Redemptions.RedemptionVelocity.ShareBps(total, circulating)));
        }

        var runwayNet = Redemptions.RedemptionVelocity.Net(r.Hours, decimals, input.EvaluatedAt, r.RunwayWindow, null);
        var peak = Redemptions.RedemptionVelocity.Peak(r.Hours, decimals, input.EvaluatedAt, r.RunwayWindow);
        var shareOfSupply = Redemptions.RedemptionVelocity.ShareBps(runwayNet, circulating);
        var shareOfLiquid = Redemptions.RedemptionVelocity.ShareBps(runwayNet, liquid);
        // Nothing liquid while redemptions drain: as surging as it gets when the liquid threshold is on.
        var surge = (r.SurgeShareOfSupplyBps > 0 && shareOfSupply > r.SurgeShareOfSupplyBps)
            || (r.SurgeShareOfLiquidBps > 0 && runwayNet.Sign > 0 && (shareOfLiquid is null || shareOfLiquid > r.SurgeShareOfLiquidBps));
        return new Redemptions.RunRisk(
            windows,
            r.RunwayWindow,
            runwayNet,
            liquid,
            Redemptions.RedemptionVelocity.RunwayDays(liquid, runwayNet, r.RunwayWindow),
            peak,
            shareOfLiquid,
            r.SurgeShareOfSupplyBps,
            r.SurgeShareOfLiquidBps,
            r.StressFromObservation,
            surge);
    }

    private static RuleResult Coverage(UsdAmount circulating, UsdAmount reserves, ReconciliationPolicy policy)
    {
        var required = circulating.TimesBpsCeiling(policy.MinimumCoverageBps);
        var shortfall = UsdAmount.Max(UsdAmount.Zero, required - reserves);
        return new RuleResult(
            "coverage",
            shortfall.Sign == 0,
            shortfall,
            $"reserves {reserves} USD vs required {required} USD ({policy.MinimumCoverageBps} bps of circulating {circulating})");
    }

    private static RuleResult Liquidity(UsdAmount circulating, UsdAmount liquid, ReconciliationPolicy policy, Redemptions.RunRisk? runRisk)
    {
        var required = circulating.TimesBpsCeiling(policy.LiquidityShareBps);
        var detail = $"liquid within {policy.LiquidityDays} days {liquid} USD vs required {required} USD ({policy.LiquidityShareBps} bps of circulating)";
        if (runRisk is { StressFromObservation: true } && runRisk.PeakNetUsd > required)
        {
            // Stress from observation: the chain has already shown a run larger than the configured stress share.
            required = runRisk.PeakNetUsd;
            detail = $"liquid within {policy.LiquidityDays} days {liquid} USD vs required {required} USD (observed peak {ReportCanonicalForm.WindowText(runRisk.RunwayWindow)} net redemptions, above {policy.LiquidityShareBps} bps of circulating)";
        }

        var shortfall = UsdAmount.Max(UsdAmount.Zero, required - liquid);
        return new RuleResult("liquidity", shortfall.Sign == 0, shortfall, detail);
    }

    private static RuleResult Concentration(UsdAmount reserves, IReadOnlyList<(string Custodian, Reserves.ReserveAccount Account)> accounts, ReconciliationPolicy policy)
    {
        var allowance = reserves.TimesBpsFloor(policy.MaxConcentrationBps);
        var groups = accounts
            .GroupBy(a => "custodian " + a.Custodian, StringComparer.Ordinal)
            .Concat(accounts.GroupBy(a => "bank " + a.Account.Bank, StringComparer.Ordinal))
            .Select(g => (Holder: g.Key, Amount: g.Aggregate(UsdAmount.Zero, (sum, a) => sum + a.Account.Amount)))
            .OrderByDescending(g => g.Amount)
            .ThenBy(g => g.Holder, StringComparer.Ordinal)
            .ToList();
        if (groups.Count == 0)
        {
            return new RuleResult("concentration", true, UsdAmount.Zero, "no reserves to judge");
        }

        var largest = groups[0];
        var excess = UsdAmount.Max(UsdAmount.Zero, largest.Amount - allowance);
        return new RuleResult(
            "concentration",
            excess.Sign == 0,
            excess,
            $"largest holder {largest.Holder} holds {largest.Amount} USD vs allowed {allowance} USD ({policy.MaxConcentrationBps} bps of reserves)");
    }
}
