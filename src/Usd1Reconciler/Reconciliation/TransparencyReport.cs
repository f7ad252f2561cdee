using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Usd1Reconciler.Configuration;
using Usd1Reconciler.Core.Reconciliation;

namespace Usd1Reconciler.Reconciliation;

/// <summary>
/// The public transparency report (issue 17): a JSON document and a self-contained static HTML page built from the
/// stored hash chain. Every figure is read from the newest conclusive report's canonical JSON, which is published
/// byte for byte with its previous hash and hash, so a reader recomputes both the coverage and the chain link from the
/// document alone (<see cref="Recipe"/>). A broken chain, or a newest report that is Inconclusive, is said at the top
/// of both (status), never hidden behind an older figure.
/// </summary>
internal static class TransparencyReport
{
    public const string Recipe =
        "1. hash = lower-case hex SHA-256 of UTF-8(previousHash + \"\\n\" + canonical); it must equal report.hash. " +
        "2. In canonical: circulating = Σ over networks of circulating ÷ 10^decimals; reserves = Σ over feeds' snapshot accounts of amountUsd. " +
        "3. coverageBps = floor(reserves × 10000 ÷ circulating); it must equal canonical.coverageBps. " +
        "4. chain.length and chain.headHash are where this report stands in the chain (report.position of chain.length).";

    public static (string Json, string Html) Build(IReadOnlyList<StoredReport> reports, string anchorHash, long pruned, PublishOptions options, DateTimeOffset now)
    {
        var problems = ReportChain.Verify(reports, anchorHash);
        var latest = reports.Count > 0 ? reports[^1] : null;
        var index = reports.Count - 1;
        while (index >= 0 && reports[index].Verdict == "inconclusive")
        {
            index--;
        }

        var conclusive = index >= 0 ? reports[index] : null;
        var status = problems.Count > 0 ? "CHAIN BROKEN: figures cannot be trusted"
            : latest is null ? "NO REPORT"
            : latest.Verdict == "inconclusive" ? "INCONCLUSIVE: the newest reconciliation has no figures; the figures below are the last conclusive ones"
            : "CONCLUSIVE";
        var doc = new JsonObject
        {
            ["publishedAt"] = ReportCanonicalForm.Time(now),
            ["status"] = status,
            ["chain"] = new JsonObject
            {
                ["intact"] = problems.Count == 0,
                ["problems"] = new JsonArray([.. problems.Select(p => (JsonNode?)JsonValue.Create(p))]),
                ["length"] = pruned + reports.Count,
                ["headHash"] = latest?.Hash,
                ["anchorHash"] = anchorHash,
            },
            ["latestVerdict"] = latest?.Verdict,
            ["verdictHistory"] = new JsonArray([.. reports.Reverse().Take(Math.Max(options.HistoryLength, 1)).Select(r => (JsonNode?)new JsonObject
            {
                ["id"] = r.Id, ["evaluatedAt"] = ReportCanonicalForm.Time(r.EvaluatedAt), ["verdict"] = r.Verdict, ["hash"] = r.Hash,
            })]),
            ["recipe"] = Recipe,
        };
        if (conclusive is not null)
        {
            doc["report"] = Figures(conclusive, pruned + index + 1, options);
        }

        // Relaxed escaping: the canonical report reads as itself (quotes not \u0022) in the file; the page HTML-encodes it.
        var json = doc.ToJsonString(new JsonSerializerOptions { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
        return (json, Html(doc, json));
    }

    private static JsonObject Figures(StoredReport report, long position, PublishOptions options)
    {
        using var canonical = JsonDocument.Parse(report.Canonical);
        var root = canonical.RootElement;
        var names = new Dictionary<string, string>(StringComparer.Ordinal);
        string Name(string kind, string? name) => !options.RedactNames ? name ?? "" :
            names.TryGetValue(kind + ":" + name, out var n) ? n : names[kind + ":" + name] = $"{kind} {names.Keys.Count(k => k.StartsWith(kind + ":", StringComparison.Ordinal)) + 1}";
        var byClass = new SortedDictionary<string, Core.Amounts.UsdAmount>(StringComparer.Ordinal);
        var accounts = new JsonArray();
        var attestations = new JsonArray();
        foreach (var feed in root.GetProperty("feeds").EnumerateArray())
        {
            if (feed.GetProperty("snapshot") is not { ValueKind: JsonValueKind.Object } s)
            {
                continue;
            }

            attestations.Add(new JsonObject { ["custodian"] = Name("custodian", s.GetProperty("custodian").GetString()), ["asOf"] = s.GetProperty("asOf").GetString(), ["attestation"] = s.GetProperty("attestation").GetString(), ["contentSha256"] = s.GetProperty("contentSha256").GetString() });
            foreach (var a in s.GetProperty("accounts").EnumerateArray())
            {
                var assetClass = a.GetProperty("assetClass").GetString() ?? "other";
                var amount = Core.Amounts.UsdAmount.Parse(a.GetProperty("amountUsd").GetString() ?? "0");
                byClass[assetClass] = (byClass.TryGetValue(assetClass, out var sum) ? sum : Core.Amounts.UsdAmount.Zero) + amount;
                accounts.Add(new JsonObject { ["custodian"] = Name("custodian", s.GetProperty("custodian").GetString()), ["bank"] = Name("bank", a.GetProperty("bank").GetString()), ["assetClass"] = assetClass, ["amountUsd"] = amount.ToString() });
            }
        }

        var networks = new JsonArray([.. root.GetProperty("networks").EnumerateArray().Select(n => (JsonNode?)new JsonObject
        {
            ["network"] = n.GetProperty("network").GetString(),
            ["circulatingUsd"] = n.GetProperty("circulating").GetString() is { } c ? Core.Amounts.UsdAmount.FromTokenUnits(System.Numerics.BigInteger.Parse(c, CultureInfo.InvariantCulture), n.GetProperty("decimals").GetInt32()).ToString() : null,
        })]);
        var figures = new JsonObject
        {
            ["id"] = report.Id,
            ["position"] = position,
            ["evaluatedAt"] = ReportCanonicalForm.Time(report.EvaluatedAt),
            ["verdict"] = report.Verdict,
            ["circulatingSupplyUsd"] = root.GetProperty("circulatingSupplyUsd").GetString(),
            ["reservesUsd"] = root.GetProperty("reservesUsd").GetString(),
            ["coverageBps"] = root.GetProperty("coverageBps").ValueKind == JsonValueKind.Number ? root.GetProperty("coverageBps").GetInt64() : null,
            ["networks"] = networks,
            ["reservesByAssetClass"] = new JsonObject([.. byClass.Select(kv => KeyValuePair.Create(kv.Key, (JsonNode?)JsonValue.Create(kv.Value.ToString())))]),
            ["accounts"] = accounts,
            ["attestations"] = attestations,
            ["runRisk"] = root.TryGetProperty("runRisk", out var risk) ? JsonNode.Parse(risk.GetRawText()) : null,
            ["previousHash"] = report.PreviousHash,
            ["hash"] = report.Hash,
            // The exact hashed bytes; withheld when names are redacted (they are in it), leaving the hash to compare with an auditor's copy.
            ["canonical"] = options.RedactNames ? null : report.Canonical,
        };
        return figures;
    }

    private static string Html(JsonObject doc, string json)
    {
        static string E(object? o) => WebUtility.HtmlEncode(o?.ToString() ?? "");
        var r = doc["report"] as JsonObject;
        var html = new StringBuilder("<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>USD1 transparency report</title>")
            .Append("<style>body{font-family:sans-serif;max-width:60rem;margin:auto}td,th{padding:.2rem .6rem;text-align:left}.num{text-align:right;font-variant-numeric:tabular-nums}.bad{color:#b00}pre{white-space:pre-wrap;word-break:break-all}</style></head><body>")
            .Append(CultureInfo.InvariantCulture, $"<h1>USD1 transparency report</h1><p>published {E(doc["publishedAt"])}</p>")
            .Append(CultureInfo.InvariantCulture, $"<p id=\"status\" class=\"{(doc["status"]!.ToString() == "CONCLUSIVE" ? "" : "bad")}\">{E(doc["status"])}</p>")
            .Append(CultureInfo.InvariantCulture, $"<p>chain: {(doc["chain"]!["intact"]!.GetValue<bool>() ? "intact" : "BROKEN")}, length <span id=\"chain-length\">{E(doc["chain"]!["length"])}</span>, head <code id=\"head\">{E(doc["chain"]!["headHash"])}</code></p>");
        if (r is not null)
        {
            html.Append(CultureInfo.InvariantCulture, $"<h2>Report #{E(r["id"])} (position {E(r["position"])}), <span id=\"verdict\">{E(r["verdict"]?.ToString().ToUpperInvariant())}</span>, evaluated {E(r["evaluatedAt"])}</h2>")
                .Append(CultureInfo.InvariantCulture, $"<table><tr><th>circulating supply (USD)</th><td class=\"num\" id=\"circulating\">{E(r["circulatingSupplyUsd"])}</td></tr><tr><th>reserves (USD)</th><td class=\"num\" id=\"reserves\">{E(r["reservesUsd"])}</td></tr><tr><th>coverage (bps)</th><td class=\"num\" id=\"coverage\">{E(r["coverageBps"])}</td></tr>")
                .Append(CultureInfo.InvariantCulture, $"<tr><th>liquid reserves (USD)</th><td class=\"num\" id=\"liquid\">{E(r["runRisk"]?["liquidUsd"])}</td></tr><tr><th>runway (days)</th><td class=\"num\" id=\"runway\">{E(r["runRisk"] is null ? "" : r["runRisk"]!["runwayDays"]?.ToString() ?? "unbounded")}</td></tr></table>")
                .Append("<h3>Circulating supply by network</h3><table>");
            foreach (var n in r["networks"]!.AsArray())
            {
                html.Append(CultureInfo.InvariantCulture, $"<tr><td>{E(n!["network"])}</td><td class=\"num\">{E(n["circulatingUsd"])}</td></tr>");
            }

            html.Append("</table><h3>Reserves by asset class</h3><table id=\"asset-classes\">");
            foreach (var (k, v) in r["reservesByAssetClass"]!.AsObject())
            {
                html.Append(CultureInfo.InvariantCulture, $"<tr><td>{E(k)}</td><td class=\"num\">{E(v)}</td></tr>");
            }

            html.Append("</table><h3>Accounts</h3><table><tr><th>custodian</th><th>bank</th><th>asset class</th><th>USD</th></tr>");
            foreach (var a in r["accounts"]!.AsArray())
            {
                html.Append(CultureInfo.InvariantCulture, $"<tr><td>{E(a!["custodian"])}</td><td>{E(a["bank"])}</td><td>{E(a["assetClass"])}</td><td class=\"num\">{E(a["amountUsd"])}</td></tr>");
            }

            html.Append("</table><h3>Attestations</h3><ul>");
            foreach (var a in r["attestations"]!.AsArray())
            {
                html.Append(CultureInfo.InvariantCulture, $"<li>{E(a!["custodian"])} as of {E(a["asOf"])}: {E(a["attestation"])} (sha256 {E(a["contentSha256"])})</li>");
            }

            html.Append("</ul>");
        }

        html.Append("<h3>Verdict history</h3><table>");
        foreach (var v in doc["verdictHistory"]!.AsArray())
        {
            html.Append(CultureInfo.InvariantCulture, $"<tr><td>#{E(v!["id"])}</td><td>{E(v["evaluatedAt"])}</td><td>{E(v["verdict"])}</td></tr>");
        }

        html.Append(CultureInfo.InvariantCulture, $"</table><h3>How to recompute</h3><p id=\"recipe\">{E(Recipe)}</p><h3>Published document</h3><pre id=\"document\">{E(json)}</pre></body></html>");
        return html.ToString();
    }
}
