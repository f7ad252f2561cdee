using System.Globalization;
using System.Text;
using System.Text.Json;
using Usd1Reconciler.Core.Governance;
using Usd1Reconciler.Core.Presentation;
using Usd1Reconciler.Core.Reconciliation;
using Usd1Reconciler.Reconciliation;
using Usd1Reconciler.Storage;
using static Usd1Reconciler.Web.Html;

namespace Usd1Reconciler.Web;

/// <summary>
/// The status page at "/" for a treasury desk and on-call: plain HTML and CSS rendered on the server, no script and
/// nothing fetched from elsewhere (it works offline and under a strict CSP). Every figure comes from the store at
/// request time, formatted for people by Core.Presentation (token units with the configured symbol, USD with cents,
/// UTC to the second), and anything not current is marked STALE in red rather than shown as if it were.
/// Sections: verdict, reserves (composition, liquidity, feeds), run risk, supply per network, control plane
/// (governance; null <paramref name="governanceStore"/>: the store keeps none, and the section says so), history
/// charts, recent verdicts, anomalies.
/// </summary>
internal sealed class StatusPage(
    IIndexStore supplyStore,
    IAnomalyStore anomalyStore,
    IReconciliationStore reconciliationStore,
    IGovernanceStore? governanceStore,
    StatusPageSettings settings,
    TimeProvider time)
{
    private const int RecentVerdicts = 10;

    public async Task<string> RenderAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var reports = await reconciliationStore.ListReportsAsync(RecentVerdicts, cancellationToken);
        var latest = reports.Count > 0 ? reports[0] : null;
        var inconclusive = latest?.Verdict == "inconclusive";
        var provenance = inconclusive ? await ReconciliationProvenance.ReadAsync(reconciliationStore, cancellationToken) : null;
        var composition = !inconclusive ? latest
            : provenance?.LastConclusiveReport ?? (provenance?.LastConclusive is { } last ? await reconciliationStore.GetReportAsync(last.ReportId, cancellationToken) : null);
        var supplies = await supplyStore.GetSupplyAsync(cancellationToken);
        // The charts end at the report the verdict shows: one written meanwhile waits for the next refresh.
        var history = (await reconciliationStore.GetReportHistoryAsync(now - HistorySection.LongWindow, cancellationToken))
            .Where(p => latest is not null && p.Id <= latest.Id).ToList();
        var anomalies = await anomalyStore.GetRecentAnomaliesAsync(AnomaliesSection.Shown, cancellationToken);

        using var document = latest is null ? null : JsonDocument.Parse(latest.Canonical);
        JsonElement? root = document?.RootElement;
        var html = new StringBuilder(64 * 1024);
        html.Append("<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><meta http-equiv=\"refresh\" content=\"10\">")
            .Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>usd1rec status</title><style>").Append(StatusPageCss.Text).Append("</style></head><body><main>")
            .Append(CultureInfo.InvariantCulture, $"<h1>{E(settings.TokenSymbol)} reconciliation status</h1><p class=\"muted\">as of {Figure("now", UtcText.Format(now))} · refreshes every 10 s</p>");

        VerdictSection.Render(html, latest, root, provenance, now);
        ReservesSection.Render(html, composition, !inconclusive, root, now);
        if (root is { } current)
        {
            RunRiskSection.Render(html, current);
        }

        SupplySection.Render(html, supplies, settings, now);
        GovernanceSection.Render(html, await ReadGovernanceAsync(supplies, now, cancellationToken), settings, now);
        var minimum = root is { } r && r.TryGetProperty("policy", out var policy) ? policy.GetProperty("minimumCoverageBps").GetInt64() : (long?)null;
        HistorySection.Render(html, history, minimum, settings.TokenSymbol, now);
        RenderRecentVerdicts(html, reports);
        AnomaliesSection.Render(html, anomalies, settings);
        html.Append("<p class=\"muted\"><a href=\"/metrics\">/metrics</a> · <a href=\"/readyz\">/readyz</a> · <a href=\"/healthz\">/healthz</a></p></main></body></html>");
        return html.ToString();
    }

    /// <summary>Each configured network's control plane as the screener sees it: folded from every stored change, judged against its policy.</summary>
    private async Task<IReadOnlyList<GovernanceSectionNetwork>?> ReadGovernanceAsync(IReadOnlyList<Core.Supply.NetworkSupply> supplies, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (governanceStore is null)
        {
            return null;
        }

        var byName = supplies.ToDictionary(s => s.Name, StringComparer.Ordinal);
        var networks = new List<GovernanceSectionNetwork>();
        foreach (var network in settings.Networks)
        {
            var changes = await governanceStore.GetGovernanceChangesAsync(network.Name, cancellationToken);
            var fold = GovernanceFold.Fold(network.Name, changes);
            var proof = await governanceStore.GetGovernanceProofAsync(network.Name, cancellationToken);
            var supply = byName.GetValueOrDefault(network.Name);
            var status = GovernanceProof.Evaluate(proof, supply?.FinalBlock ?? -1, now, network.StaleAfter);
            var drift = network.Governance is { } policy ? GovernanceDriftCheck.Check(fold.State, policy) : [];
            networks.Add(new GovernanceSectionNetwork(network, network.Governance, fold.State, drift, proof, status, supply?.Token?.Decimals, fold.Applied));
        }

        return networks;
    }

    private static void RenderRecentVerdicts(StringBuilder html, IReadOnlyList<StoredReport> reports)
    {
        if (reports.Count == 0)
        {
            return;
        }

        html.Append("<section id=\"recent-section\"><h2>Recent verdicts</h2><table class=\"grid\" id=\"recent\">").Append(Header("#", "kind", "evaluated", "verdict", "shortfall")).Append("<tbody>");
        foreach (var r in reports)
        {
            // An Inconclusive report has no shortfall, whatever an old format stored in the column.
            var shortfall = r.Verdict == "inconclusive" ? UsdText.NoFigure : UsdText.FormatText(r.ShortfallUsd);
            html.Append("<tr>").Append(Cell("#", r.Id.ToString(CultureInfo.InvariantCulture))).Append(Cell("kind", E(r.Kind)))
                .Append(Cell("evaluated", E(UtcText.Format(r.EvaluatedAt)))).Append(Cell("verdict", E(r.Verdict), VerdictSection.VerdictClass(r.Verdict)))
                .Append(Cell("shortfall", E(shortfall), "num")).Append("</tr>");
        }

        html.Append("</tbody></table></section>");
    }
}
