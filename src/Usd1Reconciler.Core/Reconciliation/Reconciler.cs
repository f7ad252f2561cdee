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
/// 3. Liquidity: reserves liquid within LiquidityDays ≥ circulating × LiquidityShareBps / 10000.
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
        var rules = new List<RuleResult>
        {
            Coverage(circulating, reserves, policy),
            Liquidity(circulating, accounts.Select(a => a.Account).ToList(), policy),
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
            policy);
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

    private static RuleResult Liquidity(UsdAmount circulating, IReadOnlyList<Reserves.ReserveAccount> accounts, ReconciliationPolicy policy)
    {
        var liquid = accounts
            .Where(a => a.DaysToLiquidity is { } days && days <= policy.LiquidityDays)
            .Aggregate(UsdAmount.Zero, (sum, a) => sum + a.Amount);
        var required = circulating.TimesBpsCeiling(policy.LiquidityShareBps);
        var shortfall = UsdAmount.Max(UsdAmount.Zero, required - liquid);
        return new RuleResult(
            "liquidity",
            shortfall.Sign == 0,
            shortfall,
            $"liquid within {policy.LiquidityDays} days {liquid} USD vs required {required} USD ({policy.LiquidityShareBps} bps of circulating)");
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
