using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;

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
            .Append(CultureInfo.InvariantCulture, $"<p>liquid reserves <span class=\"num\" id=\"liquid\">{E(risk.GetProperty("liquidUsd").GetString())}</span> USD · runway <span id=\"runway\">{E(runway)}</span> at the {E(risk.GetProperty("runwayWindow").GetString())} rate · observed peak <span class=\"num\" id=\"peak\">{E(risk.GetProperty("peakNetUsd").GetString())}</span> USD</p>")
            .Append(CultureInfo.InvariantCulture, $"<p class=\"{(surge ? "bad" : "ok")}\" id=\"surge\">{(surge ? "REDEMPTION SURGE" : "no redemption surge")}</p>")
            .Append("<table id=\"redemptions\"><tr><th>network</th><th>window</th><th>net redemptions (USD)</th><th>share of circulating</th></tr>");
        foreach (var n in risk.GetProperty("netRedemptions").EnumerateArray())
        {
            var share = n.GetProperty("shareOfCirculatingBps") is { ValueKind: JsonValueKind.Number } bps ? Percent(bps.GetInt64()) : "n/a";
            html.Append(CultureInfo.InvariantCulture, $"<tr><td>{E(n.GetProperty("network").GetString())}</td><td>{E(n.GetProperty("window").GetString())}</td><td class=\"num\">{E(n.GetProperty("netUsd").GetString())}</td><td class=\"num\">{E(share)}</td></tr>");
        }

        html.Append("</table>");
    }

    /// <summary>Basis points as an exact percentage with two decimals: 1234 → "12.34 %", -5 → "-0.05 %".</summary>
    public static string Percent(long bps)
    {
        var magnitude = Math.Abs((decimal)bps);
        var text = (magnitude / 100m).ToString("0.00", CultureInfo.InvariantCulture);
        return (bps < 0 ? "-" : "") + text + " %";
    }

    private static string E(string? text) => WebUtility.HtmlEncode(text ?? "");
}
