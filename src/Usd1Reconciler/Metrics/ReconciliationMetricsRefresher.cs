using System.Text.Json;
using Usd1Reconciler.Core.Amounts;
using Usd1Reconciler.Storage.Sqlite;

namespace Usd1Reconciler.Metrics;

/// <summary>
/// Sets the reconciliation and reserve gauges from the latest stored report and each feed's latest accepted
/// snapshot — the audit trail is the source, so a dashboard never shows a figure the trail does not hold.
/// </summary>
internal sealed class ReconciliationMetricsRefresher(
    SqliteReconciliationStore store,
    ReconcilerMetrics metrics,
    IReadOnlyDictionary<string, TimeSpan> feedStaleAfter,
    TimeProvider time)
{
    private static readonly string[] Verdicts = ["covered", "undercollateralized", "inconclusive"];

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

        var reports = await store.ListReportsAsync(1, cancellationToken);
        if (reports.Count == 0)
        {
            return;
        }

        var latest = reports[0];

        foreach (var verdict in Verdicts)
        {
            metrics.Verdict.WithLabels(verdict).Set(verdict == latest.Verdict ? 1 : 0);
        }

        metrics.LastReconciliation.Set(latest.EvaluatedAt.ToUnixTimeMilliseconds() / 1000.0);
        using var document = JsonDocument.Parse(latest.Canonical);
        var root = document.RootElement;
        metrics.Shortfall.Set(Usd(root.GetProperty("shortfallUsd").GetString()));
        var circulating = Usd(root.GetProperty("circulatingSupplyUsd").GetString());
        metrics.TotalSupply.WithLabels("circulating").Set(circulating);
        if (root.TryGetProperty("coverageBps", out var bps) && bps.ValueKind == JsonValueKind.Number)
        {
            metrics.CoverageRatio.Set(bps.GetInt64() / 10_000.0);
        }

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

    // Display only: the exact figure is the decimal text in the report.
    private static double Usd(string? text) =>
        UsdAmount.TryParse(text, out var amount, out _) ? (double)amount.Atto / 1e18 : 0;
}
