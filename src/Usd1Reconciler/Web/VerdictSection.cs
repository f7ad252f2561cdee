using System.Globalization;
using System.Text;
using System.Text.Json;
using Usd1Reconciler.Core.Presentation;
using Usd1Reconciler.Core.Reconciliation;
using Usd1Reconciler.Reconciliation;
using static Usd1Reconciler.Web.Html;

namespace Usd1Reconciler.Web;

/// <summary>
/// The verdict at the top of the status page: the badge, coverage against the minimum, circulating supply, reserves
/// and shortfall of the newest report. While it is Inconclusive (invariant 9) none of those figures exists: the page
/// says since when, names the failing inputs, and shows the last conclusive result beside it, marked as not current.
/// </summary>
internal static class VerdictSection
{
    public static void Render(StringBuilder html, StoredReport? latest, JsonElement? root, ReconciliationProvenance? provenance, DateTimeOffset now)
    {
        html.Append("<section id=\"verdict-section\"><h2>Reconciliation</h2>");
        if (latest is null || root is not { } report)
        {
            html.Append("<p class=\"verdict warn\" id=\"verdict\">NO REPORT YET</p></section>");
            return;
        }

        var minimum = report.GetProperty("policy").GetProperty("minimumCoverageBps").GetInt64();
        html.Append(CultureInfo.InvariantCulture, $"<div class=\"verdict-row\"><p class=\"verdict {VerdictClass(latest.Verdict)}\" id=\"verdict\">{E(latest.Verdict.ToUpperInvariant())}</p>")
            .Append(CultureInfo.InvariantCulture, $"<p class=\"muted\">report {Figure("report-id", "#" + latest.Id.ToString(CultureInfo.InvariantCulture))} <code>{E(latest.Hash[..12])}</code> evaluated {Figure("evaluated", UtcText.Format(latest.EvaluatedAt))} ({E(Age(now, latest.EvaluatedAt))})</p></div>");
        if (ReportCanonicalForm.ReadFigures(latest).Conclusive is { } figures)
        {
            var coverageClass = figures.CoverageBps >= minimum ? "ok" : "bad";
            html.Append("<dl class=\"figures\">")
                .Append(CultureInfo.InvariantCulture, $"<div><dt>coverage</dt><dd><span id=\"coverage\" class=\"fig {coverageClass}\" data-figure=\"coverage\">{E(PercentText.FromBps(figures.CoverageBps))}</span> <span class=\"muted\">minimum {Figure("minimum-coverage", PercentText.FromBps(minimum))}</span></dd></div>")
                .Append(CultureInfo.InvariantCulture, $"<div><dt>circulating supply</dt><dd><span id=\"circulating\" class=\"fig\" data-figure=\"circulating\">{E(UsdText.Format(figures.CirculatingSupply))}</span></dd></div>")
                .Append(CultureInfo.InvariantCulture, $"<div><dt>eligible reserves</dt><dd><span id=\"reserves\" class=\"fig\" data-figure=\"reserves\">{E(UsdText.Format(figures.Reserves))}</span></dd></div>")
                .Append(CultureInfo.InvariantCulture, $"<div><dt>shortfall</dt><dd><span id=\"shortfall\" class=\"fig{(figures.Shortfall.Sign > 0 ? " bad" : "")}\" data-figure=\"shortfall\">{E(UsdText.Format(figures.Shortfall))}</span></dd></div>")
                .Append("</dl>");
        }
        else
        {
            RenderInconclusive(html, latest, provenance, now);
        }

        RenderFailingInputs(html, report);
        html.Append("</section>");
    }

    /// <summary>"INCONCLUSIVE since … — last conclusive: UNDERCOLLATERALIZED, shortfall 49,080,374.055 USD at …".</summary>
    internal static string ProvenanceLine(ReconciliationProvenance provenance, DateTimeOffset now)
    {
        var since = provenance.InconclusiveSince is { } at ? $"INCONCLUSIVE since {UtcText.Format(at)} ({Age(now, at)})" : "INCONCLUSIVE";
        if (provenance.LastConclusive is not { } last)
        {
            return since + " — no conclusive reconciliation yet";
        }

        var result = last.Verdict == ReconciliationVerdict.Undercollateralized
            ? $"UNDERCOLLATERALIZED, shortfall {UsdText.Format(last.Shortfall)}"
            : $"COVERED, coverage {PercentText.FromBps(last.CoverageBps)}";
        return $"{since} — last conclusive: {result} at {UtcText.Format(last.EvaluatedAt)} (report #{last.ReportId}, {Age(now, last.EvaluatedAt)})";
    }

    public static string VerdictClass(string verdict) => verdict switch
    {
        "covered" => "ok",
        "undercollateralized" => "bad",
        _ => "warn",
    };

    private static void RenderInconclusive(StringBuilder html, StoredReport latest, ReconciliationProvenance? provenance, DateTimeOffset now)
    {
        provenance ??= new ReconciliationProvenance(latest, null, null, latest.CreatedAt);
        html.Append(CultureInfo.InvariantCulture, $"<p class=\"warn\" id=\"provenance\">{E(ProvenanceLine(provenance, now))}</p>")
            .Append("<table class=\"grid\" id=\"verdicts-now\">")
            .Append(Header("", "verdict", "coverage", "circulating supply", "reserves", "shortfall", "evaluated"))
            .Append("<tbody><tr>").Append(Cell("report", "latest")).Append(Cell("verdict", "INCONCLUSIVE", "warn"))
            .Append(Cell("coverage", $"<span id=\"coverage\">{UsdText.NoFigure}</span>", "num"))
            .Append(Cell("circulating supply", $"<span id=\"circulating\">{UsdText.NoFigure}</span>", "num"))
            .Append(Cell("reserves", $"<span id=\"reserves\">{UsdText.NoFigure}</span>", "num"))
            .Append(Cell("shortfall", $"<span id=\"shortfall\">{UsdText.NoFigure}</span>", "num"))
            .Append(Cell("evaluated", E(UtcText.Format(latest.EvaluatedAt))))
            .Append("</tr>");
        if (provenance.LastConclusive is { } last)
        {
            // Shown beside the outage, never instead of it: the row says it is the last conclusive result and how old.
            var verdict = ReportCanonicalForm.VerdictText(last.Verdict);
            html.Append("<tr id=\"last-conclusive\" class=\"stale\">")
                .Append(Cell("report", $"last conclusive #{last.ReportId} {StaleBadge}"))
                .Append(Cell("verdict", E(verdict.ToUpperInvariant()), VerdictClass(verdict)))
                .Append(Cell("coverage", E(PercentText.FromBps(last.CoverageBps)), "num", "last-coverage"))
                .Append(Cell("circulating supply", E(UsdText.Format(last.CirculatingSupply)), "num", "last-circulating"))
                .Append(Cell("reserves", E(UsdText.Format(last.Reserves)), "num", "last-reserves"))
                .Append(Cell("shortfall", E(UsdText.Format(last.Shortfall)), "num", "last-shortfall"))
                .Append(Cell("evaluated", $"{E(UtcText.Format(last.EvaluatedAt))} ({E(Age(now, last.EvaluatedAt))})"))
                .Append("</tr>");
        }

        html.Append("</tbody></table>");
    }

    private static void RenderFailingInputs(StringBuilder html, JsonElement report)
    {
        if (!report.TryGetProperty("failingInputs", out var failing) || failing.GetArrayLength() == 0)
        {
            return;
        }

        html.Append("<h3>Failing inputs</h3><ul class=\"bad\" id=\"failing-inputs\">");
        foreach (var input in failing.EnumerateArray())
        {
            html.Append(CultureInfo.InvariantCulture, $"<li>{E(input.GetString())}</li>");
        }

        html.Append("</ul>");
    }
}
