using System.Globalization;
using System.Numerics;
using System.Text;
using System.Text.Json;
using Usd1Reconciler.Core.Networks;
using Usd1Reconciler.Core.Presentation;
using Usd1Reconciler.Core.Supply;
using Usd1Reconciler.Storage.Sqlite;

namespace Usd1Reconciler.Demo;

/// <summary>
/// The live summary: what the daemon has in its store right now (supply per network with its ledger proof,
/// reserves, coverage, the last verdict, anomalies), next to the devnets' heads so a backfill shows its progress.
/// Read from the store, like the status page, so the terminal never shows a figure the daemon does not hold; formatted
/// for people by the same Core.Presentation formatter as the status page.
/// </summary>
internal sealed class DemoSummary(
    SqliteSupplyStore supplyStore,
    SqliteReconciliationStore reconciliationStore,
    SqliteAnomalyStore anomalyStore,
    IReadOnlyList<EvmDemoChain> evm,
    SolanaDemoChain solana,
    DemoReserveFeed feed,
    DemoTraffic traffic,
    DemoConsole console,
    TimeProvider time)
{
    private const int Decimals = 6;

    private long _lastReportId;
    private string? _lastVerdict;
    private long _anomaliesSeen;

    public string? LastVerdict => _lastVerdict;

    public TimeSpan? FirstCoveredAfter { get; private set; }

    /// <summary>Reads the store once: reports new verdicts and anomalies as events and returns the summary text.</summary>
    public async Task<string> RefreshAsync(Uri statusPage, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"usd1rec-demo — {console.Elapsed:hh\\:mm\\:ss} — {traffic.Transactions} demo transactions sent\n");
        text.Append(CultureInfo.InvariantCulture, $"status page {statusPage}   metrics {new Uri(statusPage, "/metrics")}\n\n");
        await NetworksAsync(text, now, cancellationToken);
        await VerdictAsync(text, cancellationToken);
        await AnomaliesAsync(text, cancellationToken);
        if (console.IsTerminal)
        {
            text.Append("\nkeys: m = oversized mint   r = reorg   f = feed outage on/off   q or Ctrl-C = stop\n");
        }

        text.Append('\n');
        return text.ToString();
    }

    /// <summary>Token units without the symbol (the column header names it): the demo tokens' decimals unless the store has them.</summary>
    public static string Tokens(BigInteger baseUnits, int? decimals = null) => TokenFormat.Number(baseUnits, decimals ?? Decimals);

    private async Task NetworksAsync(StringBuilder text, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var heads = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var chain in evm)
        {
            heads[chain.Name] = await SafeAsync(() => chain.HeadAsync(cancellationToken));
        }

        heads[solana.Name] = await SafeAsync(() => solana.SlotAsync(cancellationToken));
        text.Append(CultureInfo.InvariantCulture, $"{"network",-14} {"indexed block/slot",-28} {"final supply (USD1)",24} {"proof",-9} {"mints",6} {"burns",6} {"reorgs",6}\n");
        var stored = (await supplyStore.GetSupplyAsync(cancellationToken)).ToDictionary(s => s.Name, StringComparer.Ordinal);
        foreach (var name in heads.Keys)
        {
            if (!stored.TryGetValue(name, out var s) || s.LastIndexedAt is null)
            {
                text.Append(CultureInfo.InvariantCulture, $"{name,-14} {"waiting for first pass",-28}\n");
                continue;
            }

            // Slots pass every 250 ms on the Solana devnet, so a few behind is following, not backfilling.
            var behind = heads[name] - s.IndexedBlock;
            var progress = behind > (s.Kind == NetworkKind.Solana ? 20 : 2) ? $"{s.IndexedBlock} ({behind} behind)" : $"{s.IndexedBlock} (at head)";
            var proof = LedgerProof.Evaluate(s.LatestProof, s.FinalBlock, now, TimeSpan.FromMinutes(1));
            text.Append(CultureInfo.InvariantCulture, $"{name,-14} {progress,-28} {Tokens(s.IndexedSupply, s.Token?.Decimals),24} {proof.ToString().ToLowerInvariant(),-9} {s.FinalMints,6} {s.FinalBurns,6} {s.Reorgs,6}\n");
        }
    }

    private async Task VerdictAsync(StringBuilder text, CancellationToken cancellationToken)
    {
        var feedState = feed.Paused ? "OUTAGE (not updating)" : feed.LastWrittenAt is { } at ? $"updated {DurationText.Format(time.GetUtcNow() - at)} ago" : "not written yet";
        text.Append(CultureInfo.InvariantCulture, $"\nreserves feed {DemoConfig.FeedName}: {feedState}\n");
        var reports = await reconciliationStore.ListReportsAsync(1, cancellationToken);
        if (reports.Count == 0)
        {
            text.Append("verdict: no reconciliation yet (every 5 s once each network has a ledger proof)\n");
            return;
        }

        var latest = reports[0];
        using var canonical = JsonDocument.Parse(latest.Canonical);
        var root = canonical.RootElement;
        var coverage = PercentText.FromBps(root.TryGetProperty("coverageBps", out var bps) && bps.ValueKind == JsonValueKind.Number ? bps.GetInt64() : null);
        text.Append(CultureInfo.InvariantCulture, $"circulating {Usd(root, "circulatingSupplyUsd")}   reserves {Usd(root, "reservesUsd")}   coverage {coverage}\n");
        text.Append(CultureInfo.InvariantCulture, $"verdict: {latest.Verdict.ToUpperInvariant()} (report #{latest.Id}, {DurationText.Format(time.GetUtcNow() - latest.EvaluatedAt)} ago)");
        if (latest.Verdict == "undercollateralized")
        {
            text.Append(CultureInfo.InvariantCulture, $", shortfall {UsdText.FormatText(latest.ShortfallUsd)}");
        }

        text.Append('\n');
        if (root.TryGetProperty("failingInputs", out var failing))
        {
            foreach (var input in failing.EnumerateArray())
            {
                text.Append(CultureInfo.InvariantCulture, $"  ! {input.GetString()}\n");
            }
        }

        if (latest.Id != _lastReportId)
        {
            _lastReportId = latest.Id;
            if (latest.Verdict != _lastVerdict)
            {
                _lastVerdict = latest.Verdict;
                if (latest.Verdict == "covered" && FirstCoveredAfter is null)
                {
                    FirstCoveredAfter = console.Elapsed;
                }

                console.Event($"verdict: {latest.Verdict} (report #{latest.Id}, coverage {coverage})");
            }
        }
    }

    private async Task AnomaliesAsync(StringBuilder text, CancellationToken cancellationToken)
    {
        var counts = await anomalyStore.CountAnomaliesAsync(cancellationToken);
        var total = counts.Sum(c => c.Count);
        text.Append(CultureInfo.InvariantCulture, $"\nanomalies: {total}");
        if (total == 0)
        {
            text.Append('\n');
            return;
        }

        text.Append(" (").AppendJoin(", ", counts.Select(c => $"{c.Rule} on {c.Network}: {c.Count}")).Append(")\n");
        var recent = await anomalyStore.GetRecentAnomaliesAsync(3, cancellationToken);
        foreach (var stored in recent)
        {
            text.Append(CultureInfo.InvariantCulture, $"  {stored.Anomaly.Rule} {stored.Anomaly.Network}: {Clip(stored.Anomaly.Summary, 110)}\n");
        }

        if (total > _anomaliesSeen)
        {
            foreach (var stored in recent.Take((int)Math.Min(total - _anomaliesSeen, recent.Count)).Reverse())
            {
                console.Event($"anomaly {stored.Anomaly.Rule} on {stored.Anomaly.Network}: {Clip(stored.Anomaly.Summary, 140)}");
            }

            _anomaliesSeen = total;
        }
    }

    /// <summary>The report's exact figure for people ("28,420,148.03824 USD"); "–" where an Inconclusive report has none.</summary>
    private static string Usd(JsonElement root, string property) =>
        UsdText.FormatText(root.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null);

    private static string Clip(string text, int length) => text.Length <= length ? text : string.Concat(text.AsSpan(0, length - 1), "…");

    private static async Task<long> SafeAsync(Func<Task<long>> read)
    {
        try
        {
            return await read();
        }
        catch (Exception ex) when (ex is HttpRequestException or InvalidOperationException or System.Text.Json.JsonException)
        {
            return -1;
        }
    }
}
