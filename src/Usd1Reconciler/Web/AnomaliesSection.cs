using System.Globalization;
using System.Text;
using Usd1Reconciler.Core.Presentation;
using Usd1Reconciler.Storage;
using static Usd1Reconciler.Web.Html;

namespace Usd1Reconciler.Web;

/// <summary>
/// The newest anomalies, in a fixed-layout table that fits a 1280 px screen (the summary wraps, a transaction id is
/// shortened to its ends and links to the network's explorer), each with its runbook. On a phone the rows stack.
/// </summary>
internal static class AnomaliesSection
{
    public const int Shown = 20;

    public static void Render(StringBuilder html, IReadOnlyList<StoredAnomaly> anomalies, StatusPageSettings settings)
    {
        html.Append("<section id=\"anomalies-section\"><h2>Anomalies</h2>");
        if (anomalies.Count == 0)
        {
            html.Append("<p class=\"ok\">none</p></section>");
            return;
        }

        var explorers = settings.Networks.ToDictionary(n => n.Name, n => n.ExplorerTxUrl, StringComparer.Ordinal);
        html.Append("<table class=\"grid fixed\" id=\"anomalies\"><colgroup><col class=\"w-time\"><col class=\"w-rule\"><col class=\"w-net\"><col><col class=\"w-tx\"><col class=\"w-state\"><col class=\"w-link\"></colgroup>")
            .Append(Header("detected", "rule", "network", "what happened", "tx", "state", "runbook")).Append("<tbody>");
        foreach (var stored in anomalies)
        {
            var a = stored.Anomaly;
            var tx = a.TransactionId is null ? "–" : explorers.GetValueOrDefault(a.Network) is { } url
                ? $"<a href=\"{E(url.Replace("{tx}", a.TransactionId, StringComparison.Ordinal))}\" title=\"{E(a.TransactionId)}\">{E(ShortId(a.TransactionId))}</a>"
                : $"<code title=\"{E(a.TransactionId)}\">{E(ShortId(a.TransactionId))}</code>";
            var state = stored.ResolvedAt is not null ? "resolved" : stored.PageState;
            html.Append(CultureInfo.InvariantCulture, $"<tr data-anomaly=\"{stored.Id}\">")
                .Append(Cell("detected", E(UtcText.Format(stored.DetectedAt))))
                .Append(Cell("rule", E(a.Rule.ToString()), a.Severity == "page" ? "bad rule" : "warn rule"))
                .Append(Cell("network", E(a.Network)))
                .Append(Cell("what happened", E(a.Summary), "summary", $"anomaly:{stored.Id}"))
                .Append(Cell("tx", tx))
                .Append(Cell("state", E(state)))
                .Append(Cell("runbook", $"<a href=\"{E(settings.RunbookBaseUrl + a.Rule + ".md")}\">runbook</a>"))
                .Append("</tr>");
        }

        html.Append("</tbody></table></section>");
    }
}
