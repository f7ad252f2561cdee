using System.Globalization;
using System.Text;
using System.Text.Json;
using Usd1Reconciler.Core.Presentation;
using static Usd1Reconciler.Web.Html;

namespace Usd1Reconciler.Web;

/// <summary>
/// The status page's run-risk figures (issue 17), from a report's runRisk object (format 3): net redemptions per
/// window and network with their share of circulating supply, liquid reserves, runway (or "unbounded") and the surge
/// state. Shares are the report's exact bps written as a percentage with two decimals (no float on the way).
/// </summary>
internal static class RunRiskSection
{
    public static void Render(StringBuilder html, JsonElement root)
    {
        if (!root.TryGetProperty("runRisk", out var risk) || risk.ValueKind != JsonValueKind.Object)
        {
            return;
        }

        var runway = risk.GetProperty("runwayDays") is { ValueKind: JsonValueKind.String } days ? days.GetString() + " days" : "unbounded (no net redemptions)";
        var surge = risk.GetProperty("surge").GetBoolean();
        html.Append("<h3>Run risk</h3>")
            .Append(CultureInfo.InvariantCulture, $"<p>liquid reserves {Figure("runrisk-liquid", UsdText.FormatText(risk.GetProperty("liquidUsd").GetString()))} · runway <span id=\"runway\">{E(runway)}</span> at the {E(risk.GetProperty("runwayWindow").GetString())} rate · observed peak {Figure("runrisk-peak", UsdText.FormatText(risk.GetProperty("peakNetUsd").GetString()))}</p>")
            .Append(CultureInfo.InvariantCulture, $"<p class=\"{(surge ? "bad" : "ok")}\" id=\"surge\">{(surge ? "REDEMPTION SURGE" : "no redemption surge")}</p>")
            .Append("<table class=\"grid\" id=\"redemptions\">").Append(Header("network", "window", "net redemptions", "share of circulating")).Append("<tbody>");
        foreach (var n in risk.GetProperty("netRedemptions").EnumerateArray())
        {
            var share = n.GetProperty("shareOfCirculatingBps") is { ValueKind: JsonValueKind.Number } bps ? PercentText.FromBps(bps.GetInt64()) : "n/a";
            html.Append("<tr>").Append(Cell("network", E(n.GetProperty("network").GetString()))).Append(Cell("window", E(n.GetProperty("window").GetString())))
                .Append(Cell("net redemptions", E(UsdText.FormatText(n.GetProperty("netUsd").GetString())), "num")).Append(Cell("share of circulating", E(share), "num")).Append("</tr>");
        }

        html.Append("</tbody></table>");
    }
}
