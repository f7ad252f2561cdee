using System.Text.Json;
using Usd1Reconciler.Core.Amounts;
using Usd1Reconciler.Core.Reconciliation;
using Usd1Reconciler.Reconciliation;
using Usd1Reconciler.Storage;

namespace Usd1Reconciler.Metrics;

/// <summary>
/// Sets the reconciliation and reserve gauges from the stored reports and each feed's latest accepted snapshot — the
/// audit trail is the source, so a dashboard never shows a figure the trail does not hold. The verdict gauge follows
/// the latest report; every figure (coverage, shortfall, circulating, reserves) follows the latest conclusive one
/// (invariant 9), with its time and, while later reports are Inconclusive, since when.
/// </summary>
internal sealed class ReconciliationMetricsRefresher(
    IReconciliationStore store,
    ReconcilerMetrics metrics,
    IReadOnlyDictionary<string, TimeSpan> feedStaleAfter,
    TimeProvider time)
{
    private static readonly string[] Verdicts = ["covered", "undercollateralized", "inconclusive"];
    private static readonly string[] ConclusiveVerdicts = ["covered", "undercollateralized"];

    public async Task RefreshAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        foreach (var (feed, staleAfter) in feedStaleAfter)
        {
            if (await store.GetLatestSnapshotAsync(feed, cancellationToken) is { } snapshot)
            {
                var age = (now - snapshot.AsOf).TotalSeconds;
                metrics.FeedAge.WithLabels(feed).Set(age);
                metrics.FeedStale.WithLabels(feed).Set(now - snapshot.AsOf > staleAfter ? 1 : 0);
            }
            else
            {
                metrics.FeedStale.WithLabels(feed).Set(1);
            }
        }

        var provenance = await ReconciliationProvenance.ReadAsync(store, cancellationToken);
        if (provenance.Latest is not { } latest)
        {
            return;
        }

        foreach (var verdict in Verdicts)
        {
            metrics.Verdict.WithLabels(verdict).Set(verdict == latest.Verdict ? 1 : 0);
        }

        metrics.LastReconciliation.Set(Seconds(latest.EvaluatedAt));
        if (provenance.InconclusiveSince is { } since)
        {
            metrics.InconclusiveSince.Set(Seconds(since));
        }
        else
        {
            metrics.InconclusiveSince.Unpublish();
        }

        // Every figure below is the latest conclusive report's: an Inconclusive report has none, and a gauge set from
        // it would page "coverage 0 %" for an outage. Absent until a conclusive report exists.
        if (provenance.LastConclusive is not { } conclusive)
        {
            metrics.CoverageRatio.Unpublish();
            metrics.Shortfall.Unpublish();
            metrics.LastConclusiveTimestamp.Unpublish();
            return;
        }

        foreach (var verdict in ConclusiveVerdicts)
        {
            metrics.LastConclusiveVerdict.WithLabels(verdict).Set(verdict == ReportCanonicalForm.VerdictText(conclusive.Verdict) ? 1 : 0);
        }

        metrics.LastConclusiveTimestamp.Set(Seconds(conclusive.EvaluatedAt));
        metrics.Shortfall.Set(Usd(conclusive.Shortfall));
        metrics.TotalSupply.WithLabels("circulating").Set(Usd(conclusive.CirculatingSupply));
        if (conclusive.CoverageBps is { } bps)
        {
            metrics.CoverageRatio.Set(bps / 10_000.0);
        }
        else
        {
            // Nothing circulated: a ratio has no meaning, and 0 would read as "no reserves".
            metrics.CoverageRatio.Unpublish();
        }

        if (provenance.LastConclusiveReport is { } report)
        {
            SetDetails(report);
        }
    }

    private void SetDetails(StoredReport report)
    {
        using var document = JsonDocument.Parse(report.Canonical);
        var root = document.RootElement;
        if (root.TryGetProperty("feeds", out var feeds))
        {
            foreach (var feed in feeds.EnumerateArray())
            {
                if (!feed.TryGetProperty("snapshot", out var snapshot) || snapshot.ValueKind != JsonValueKind.Object)
                {
                    continue;
                }

                var custodian = snapshot.GetProperty("custodian").GetString() ?? "";
                foreach (var group in snapshot.GetProperty("accounts").EnumerateArray().GroupBy(a => a.GetProperty("assetClass").GetString() ?? "other"))
                {
                    metrics.Reserves.WithLabels(custodian, group.Key).Set(group.Sum(a => Usd(a.GetProperty("amountUsd").GetString())));
                }
            }
        }

        SetRunRisk(root);
        if (root.TryGetProperty("networks", out var networks))
        {
            foreach (var n in networks.EnumerateArray())
            {
                if (n.TryGetProperty("circulating", out var c) && c.ValueKind == JsonValueKind.String
                    && System.Numerics.BigInteger.TryParse(c.GetString(), System.Globalization.NumberStyles.AllowLeadingSign, System.Globalization.CultureInfo.InvariantCulture, out var units))
                {
                    metrics.Supply.WithLabels(n.GetProperty("network").GetString() ?? "", "circulating").Set(StoreMetricsRefresher.Tokens(units, n.GetProperty("decimals").GetInt32()));
                }
            }
        }
    }

    /// <summary>Run-risk gauges from a format-3 report; a report without runRisk (older format) leaves them absent.</summary>
    private void SetRunRisk(JsonElement root)
    {
        if (!root.TryGetProperty("runRisk", out var risk) || risk.ValueKind != JsonValueKind.Object)
        {
            metrics.LiquidReserves.Unpublish();
            metrics.LiquidityRunway.Unpublish();
            return;
        }

        var runwayWindow = risk.GetProperty("runwayWindow").GetString() ?? "";
        foreach (var n in risk.GetProperty("netRedemptions").EnumerateArray())
        {
            var network = n.GetProperty("network").GetString() ?? "";
            var window = n.GetProperty("window").GetString() ?? "";
            metrics.NetRedemptions.WithLabels(network, window).Set(Usd(n.GetProperty("netUsd").GetString()));
            if (n.GetProperty("shareOfCirculatingBps") is { ValueKind: JsonValueKind.Number } share)
            {
                metrics.NetRedemptionsShare.WithLabels(network, window, "supply").Set(share.GetInt64() / 10_000.0);
            }
            else
            {
                metrics.NetRedemptionsShare.RemoveLabelled(network, window, "supply");
            }
        }

        if (risk.GetProperty("shareOfLiquidBps") is { ValueKind: JsonValueKind.Number } liquidShare)
        {
            metrics.NetRedemptionsShare.WithLabels("total", runwayWindow, "liquid_reserves").Set(liquidShare.GetInt64() / 10_000.0);
        }
        else
        {
            metrics.NetRedemptionsShare.RemoveLabelled("total", runwayWindow, "liquid_reserves");
        }

        SetThreshold(runwayWindow, "supply", risk.GetProperty("surgeShareOfSupplyBps").GetInt64());
        SetThreshold(runwayWindow, "liquid_reserves", risk.GetProperty("surgeShareOfLiquidBps").GetInt64());
        metrics.LiquidReserves.Set(Usd(risk.GetProperty("liquidUsd").GetString()));
        metrics.PeakNetRedemptions.WithLabels(runwayWindow).Set(Usd(risk.GetProperty("peakNetUsd").GetString()));
        if (risk.GetProperty("runwayDays") is { ValueKind: JsonValueKind.String } days
            && decimal.TryParse(days.GetString(), System.Globalization.NumberStyles.AllowDecimalPoint, System.Globalization.CultureInfo.InvariantCulture, out var runway))
        {
            metrics.LiquidityRunway.Set((double)runway);
        }
        else
        {
            // Unbounded: no redemptions drain the reserves, so there is no runway figure (never a division by zero).
            metrics.LiquidityRunway.Unpublish();
        }
    }

    private void SetThreshold(string window, string basis, long bps)
    {
        if (bps > 0)
        {
            metrics.RedemptionSurgeThreshold.WithLabels(window, basis).Set(bps / 10_000.0);
        }
        else
        {
            metrics.RedemptionSurgeThreshold.RemoveLabelled(window, basis);
        }
    }

    private static double Seconds(DateTimeOffset time) => time.ToUnixTimeMilliseconds() / 1000.0;

    private static double Usd(UsdAmount amount) => (double)amount.Atto / 1e18;

    // Display only: the exact figure is the decimal text in the report.
    private static double Usd(string? text) =>
        UsdAmount.TryParse(text, out var amount, out _) ? (double)amount.Atto / 1e18 : 0;
}
