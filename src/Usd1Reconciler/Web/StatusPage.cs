using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using Usd1Reconciler.Core.Reconciliation;
using Usd1Reconciler.Core.Supply;
using Usd1Reconciler.Reconciliation;
using Usd1Reconciler.Storage;

namespace Usd1Reconciler.Web;

/// <summary>
/// The status page at "/": plain HTML and CSS, no script, no build step. Every figure comes from the store at request
/// time — the same figures `usd1rec supply` and `usd1rec report show` print — and anything not current is marked
/// STALE in red rather than shown as if it were.
/// </summary>
internal sealed class StatusPage(
    IIndexStore supplyStore,
    IAnomalyStore anomalyStore,
    IReconciliationStore reconciliationStore,
    IReadOnlyDictionary<string, TimeSpan> staleAfter,
    IReadOnlyDictionary<string, string?> explorerTxUrls,
    string runbookBaseUrl,
    TimeProvider time)
{
    public async Task<string> RenderAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var html = new StringBuilder();
        html.Append("<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><meta http-equiv=\"refresh\" content=\"10\">")
            .Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>usd1rec status</title><style>").Append(Css).Append("</style></head><body><main>")
            .Append(CultureInfo.InvariantCulture, $"<h1>USD1 reconciliation status</h1><p class=\"muted\">as of {E(Time(now))} (refreshes every 10 s)</p>");

        await RenderVerdictAsync(html, now, cancellationToken);
        await RenderNetworksAsync(html, now, cancellationToken);
        await RenderAnomaliesAsync(html, cancellationToken);
        html.Append("<p class=\"muted\"><a href=\"/metrics\">/metrics</a> · <a href=\"/readyz\">/readyz</a> · <a href=\"/healthz\">/healthz</a></p></main></body></html>");
        return html.ToString();
    }

    /// <summary>"INCONCLUSIVE since … — last conclusive: UNDERCOLLATERALIZED, shortfall 49,080,374.06 USD at …".</summary>
    internal static string ProvenanceLine(ReconciliationProvenance provenance, DateTimeOffset now)
    {
        var since = provenance.InconclusiveSince is { } at ? $"INCONCLUSIVE since {Time(at)} ({Age(now - at)} ago)" : "INCONCLUSIVE";
        if (provenance.LastConclusive is not { } last)
        {
            return since + " — no conclusive reconciliation yet";
        }

        var result = last.Verdict == ReconciliationVerdict.Undercollateralized
            ? $"UNDERCOLLATERALIZED, shortfall {UsdText.Grouped(last.Shortfall)} USD"
            : $"COVERED, coverage {UsdText.Coverage(last.CoverageBps)}";
        return $"{since} — last conclusive: {result} at {Time(last.EvaluatedAt)} (report #{last.ReportId}, {Age(now - last.EvaluatedAt)} ago)";
    }

    private static string Age(TimeSpan age) => age < TimeSpan.Zero ? "0 s"
        : age.TotalDays >= 1 ? $"{(int)age.TotalDays} d {age.Hours} h"
        : age.TotalHours >= 1 ? $"{(int)age.TotalHours} h {age.Minutes} min"
        : age.TotalMinutes >= 1 ? $"{(int)age.TotalMinutes} min {age.Seconds} s"
        : $"{(int)age.TotalSeconds} s";

    private async Task RenderVerdictAsync(StringBuilder html, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var reports = await reconciliationStore.ListReportsAsync(10, cancellationToken);
        html.Append("<h2>Reconciliation</h2>");
        if (reports.Count == 0)
        {
            html.Append("<p class=\"bad\" id=\"verdict\">NO REPORT YET</p>");
            return;
        }

        var latest = reports[0];
        using var canonical = JsonDocument.Parse(latest.Canonical);
        var root = canonical.RootElement;
        html.Append(CultureInfo.InvariantCulture, $"<p class=\"verdict {VerdictClass(latest.Verdict)}\" id=\"verdict\">{E(latest.Verdict.ToUpperInvariant())}</p>");
        if (latest.Verdict == "inconclusive")
        {
            // Provenance (invariant 9): no figure from the missing input; the last conclusive result, with its time.
            var provenance = await ReconciliationProvenance.ReadAsync(reconciliationStore, cancellationToken);
            html.Append(CultureInfo.InvariantCulture, $"<p class=\"warn\" id=\"provenance\">{E(ProvenanceLine(provenance, now))}</p>")
                .Append("<table><tr><th></th><th>verdict</th><th>circulating supply (USD)</th><th>reserves (USD)</th><th>coverage</th><th>shortfall (USD)</th><th>evaluated</th><th>report</th></tr>")
                .Append(CultureInfo.InvariantCulture, $"<tr><td>latest</td><td class=\"warn\">INCONCLUSIVE</td><td class=\"num\" id=\"circulating\">{UsdText.NoFigure}</td><td class=\"num\" id=\"reserves\">{UsdText.NoFigure}</td>")
                .Append(CultureInfo.InvariantCulture, $"<td class=\"num\" id=\"coverage\">{UsdText.NoFigure}</td><td class=\"num\" id=\"shortfall\">{UsdText.NoFigure}</td><td>{E(Time(latest.EvaluatedAt))}</td><td>#{latest.Id} <code>{E(latest.Hash[..12])}</code></td></tr>");
            if (provenance.LastConclusive is { } last)
            {
                var verdict = ReportCanonicalForm.VerdictText(last.Verdict);
                html.Append(CultureInfo.InvariantCulture, $"<tr id=\"last-conclusive\"><td>last conclusive</td><td class=\"{VerdictClass(verdict)}\">{E(verdict.ToUpperInvariant())}</td><td class=\"num\">{E(UsdText.Grouped(last.CirculatingSupply))}</td><td class=\"num\">{E(UsdText.Grouped(last.Reserves))}</td>")
                    .Append(CultureInfo.InvariantCulture, $"<td class=\"num\">{E(UsdText.Coverage(last.CoverageBps))}</td><td class=\"num\">{E(UsdText.Grouped(last.Shortfall))}</td><td>{E(Time(last.EvaluatedAt))} ({E(Age(now - last.EvaluatedAt))} ago)</td><td>#{last.ReportId} <code>{E(last.Hash.Length > 12 ? last.Hash[..12] : last.Hash)}</code></td></tr>");
            }

            html.Append("</table>");
        }
        else
        {
            var coverage = root.TryGetProperty("coverageBps", out var bps) && bps.ValueKind == JsonValueKind.Number
                ? (bps.GetInt64() / 100.0).ToString("0.00", CultureInfo.InvariantCulture) + " %"
                : "n/a";
            html.Append("<table><tr><th>circulating supply (USD)</th><th>reserves (USD)</th><th>coverage</th><th>shortfall (USD)</th><th>evaluated</th><th>report</th></tr>")
                .Append(CultureInfo.InvariantCulture, $"<tr><td class=\"num\" id=\"circulating\">{E(root.GetProperty("circulatingSupplyUsd").GetString())}</td><td class=\"num\" id=\"reserves\">{E(root.GetProperty("reservesUsd").GetString())}</td>")
                .Append(CultureInfo.InvariantCulture, $"<td class=\"num\" id=\"coverage\">{E(coverage)}</td><td class=\"num\" id=\"shortfall\">{E(latest.ShortfallUsd)}</td><td>{E(Time(latest.EvaluatedAt))}</td><td>#{latest.Id} <code>{E(latest.Hash[..12])}</code></td></tr></table>");
        }

        if (root.TryGetProperty("failingInputs", out var failing) && failing.GetArrayLength() > 0)
        {
            html.Append("<ul class=\"bad\">");
            foreach (var input in failing.EnumerateArray())
            {
                html.Append(CultureInfo.InvariantCulture, $"<li>{E(input.GetString())}</li>");
            }

            html.Append("</ul>");
        }

        if (root.TryGetProperty("feeds", out var feeds))
        {
            html.Append("<h3>Reserves by custodian and asset class</h3><table><tr><th>feed</th><th>custodian</th><th>as of</th><th>asset class</th><th>bank</th><th>USD</th></tr>");
            foreach (var feed in feeds.EnumerateArray())
            {
                if (!feed.TryGetProperty("snapshot", out var snapshot) || snapshot.ValueKind != JsonValueKind.Object)
                {
                    html.Append(CultureInfo.InvariantCulture, $"<tr><td>{E(feed.GetProperty("feed").GetString())}</td><td colspan=\"5\" class=\"bad\">no accepted snapshot</td></tr>");
                    continue;
                }

                foreach (var account in snapshot.GetProperty("accounts").EnumerateArray())
                {
                    html.Append(CultureInfo.InvariantCulture, $"<tr><td>{E(feed.GetProperty("feed").GetString())}</td><td>{E(snapshot.GetProperty("custodian").GetString())}</td><td>{E(snapshot.GetProperty("asOf").GetString())}</td>")
                        .Append(CultureInfo.InvariantCulture, $"<td>{E(account.GetProperty("assetClass").GetString())}</td><td>{E(account.GetProperty("bank").GetString())}</td><td class=\"num\">{E(account.GetProperty("amountUsd").GetString())}</td></tr>");
                }
            }

            html.Append("</table>");
        }

        RunRiskSection.Render(html, root);
        html.Append("<h3>Recent verdicts</h3><table><tr><th>#</th><th>kind</th><th>evaluated</th><th>verdict</th><th>shortfall (USD)</th></tr>");
        foreach (var r in reports)
        {
            html.Append(CultureInfo.InvariantCulture, $"<tr><td>{r.Id}</td><td>{E(r.Kind)}</td><td>{E(Time(r.EvaluatedAt))}</td><td class=\"{VerdictClass(r.Verdict)}\">{E(r.Verdict)}</td><td class=\"num\">{E(r.Verdict == "inconclusive" ? UsdText.NoFigure : r.ShortfallUsd)}</td></tr>");
        }

        html.Append("</table>");
    }

    private async Task RenderNetworksAsync(StringBuilder html, DateTimeOffset now, CancellationToken cancellationToken)
    {
        html.Append("<h2>Networks</h2><table id=\"networks\"><tr><th>network</th><th>final block</th><th>indexed supply (base units)</th><th>on-chain supply (base units)</th><th>ledger proof</th><th>last indexed</th><th>mints</th><th>burns</th><th>reorgs</th></tr>");
        foreach (var s in await supplyStore.GetSupplyAsync(cancellationToken))
        {
            var budget = staleAfter.TryGetValue(s.Name, out var b) ? b : TimeSpan.FromMinutes(10);
            var status = LedgerProof.Evaluate(s.LatestProof, s.FinalBlock, now, budget, s.FailingSince);
            var statusText = status == LedgerProofStatus.Stale ? "STALE" : status.ToString().ToLowerInvariant();
            var onchain = status == LedgerProofStatus.Stale ? "–" : s.LatestProof!.OnchainSupply.ToString();
            html.Append(CultureInfo.InvariantCulture, $"<tr data-network=\"{E(s.Name)}\"><td>{E(s.Name)}</td><td class=\"num final\">{s.FinalBlock}</td><td class=\"num indexed\">{s.IndexedSupply}</td><td class=\"num onchain\">{E(onchain)}</td>")
                .Append(CultureInfo.InvariantCulture, $"<td class=\"proof {ProofClass(status)}\">{statusText}</td><td>{E(s.LastIndexedAt is { } at ? $"{(now - at).TotalSeconds:0} s ago" : "never")}{(s.FailingSince is { } since ? $"<br><span class=\"bad\">failing since {E(Time(since))}: {E(s.FailingReason)}</span>" : "")}</td><td class=\"num mints\">{s.FinalMints}</td><td class=\"num burns\">{s.FinalBurns}</td><td class=\"num reorgs\">{s.Reorgs}</td></tr>");
        }

        html.Append("</table>");
    }

    private async Task RenderAnomaliesAsync(StringBuilder html, CancellationToken cancellationToken)
    {
        var anomalies = await anomalyStore.GetRecentAnomaliesAsync(20, cancellationToken);
        html.Append("<h2>Anomalies</h2>");
        if (anomalies.Count == 0)
        {
            html.Append("<p class=\"ok\">none</p>");
            return;
        }

        html.Append("<table><tr><th>detected</th><th>rule</th><th>network</th><th>what happened</th><th>tx</th><th>state</th><th>runbook</th></tr>");
        foreach (var stored in anomalies)
        {
            var a = stored.Anomaly;
            var tx = a.TransactionId is null ? "" : explorerTxUrls.TryGetValue(a.Network, out var url) && url is not null
                ? $"<a href=\"{E(url.Replace("{tx}", a.TransactionId, StringComparison.Ordinal))}\">{E(Short(a.TransactionId))}</a>"
                : $"<code>{E(Short(a.TransactionId))}</code>";
            var state = stored.ResolvedAt is not null ? "resolved" : stored.PageState;
            html.Append(CultureInfo.InvariantCulture, $"<tr><td>{E(Time(stored.DetectedAt))}</td><td class=\"{(a.Severity == "page" ? "bad" : "warn")}\">{a.Rule}</td><td>{E(a.Network)}</td><td>{E(a.Summary)}</td><td>{tx}</td><td>{E(state)}</td>")
                .Append(CultureInfo.InvariantCulture, $"<td><a href=\"{E(runbookBaseUrl + a.Rule + ".md")}\">runbook</a></td></tr>");
        }

        html.Append("</table>");
    }

    private static string VerdictClass(string verdict) => verdict switch
    {
        "covered" => "ok",
        "undercollateralized" => "bad",
        _ => "warn",
    };

    private static string ProofClass(LedgerProofStatus status) => status switch
    {
        LedgerProofStatus.Ok => "ok",
        LedgerProofStatus.Mismatch => "bad",
        _ => "bad",
    };

    private static string Short(string id) => id.Length > 18 ? string.Concat(id.AsSpan(0, 10), "…", id.AsSpan(id.Length - 6)) : id;

    private static string Time(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    private static string E(string? text) => WebUtility.HtmlEncode(text ?? "");

    // Plain CSS, no script: system fonts, tabular figures so columns of amounts line up, the verdict as a coloured
    // badge that reads at a glance, and colour never the only signal (every state is also spelled out).
    private const string Css =
        "body{font:14px/1.45 system-ui,sans-serif;margin:0;color:#1d2330;background:#f4f6f9}" +
        "main{max-width:1180px;margin:0 auto;padding:1.5em 2em 2em}h1{font-size:1.6em;margin:.2em 0}" +
        "h2{font-size:1.15em;margin:1.6em 0 .4em;padding-bottom:.2em;border-bottom:2px solid #d8dde6}h3{font-size:1em;margin:1.2em 0 .3em}" +
        "table{border-collapse:collapse;margin:.4em 0 1em;background:#fff;box-shadow:0 1px 2px rgba(0,0,0,.08)}" +
        "th,td{border:1px solid #dde2ea;padding:5px 10px;text-align:left}th{background:#eef1f6;font-weight:600;font-size:13px}" +
        "td:first-child{white-space:nowrap}tr:nth-child(even) td{background:#fafbfd}td.num{text-align:right;font-variant-numeric:tabular-nums;font-family:ui-monospace,Menlo,Consolas,monospace;font-size:13px}" +
        ".ok{color:#0a7d28;font-weight:600}.bad{color:#c01818;font-weight:700}.warn{color:#a35f00;font-weight:600}" +
        ".verdict{display:inline-block;font-size:1.8em;letter-spacing:.04em;margin:.2em 0 .3em;padding:.15em .6em;border-radius:6px;border:2px solid currentColor;background:#fff}" +
        ".verdict.ok{background:#e6f4ea}.verdict.bad{background:#fde8e8}.verdict.warn{background:#fff4e0}" +
        ".muted{color:#667085}code{font-size:12px}a{color:#1f5fbf}";
}
