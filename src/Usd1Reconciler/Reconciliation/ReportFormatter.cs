using System.Globalization;
using System.Text;
using System.Text.Json;
using Usd1Reconciler.Core.Presentation;
using Usd1Reconciler.Core.Reconciliation;

namespace Usd1Reconciler.Reconciliation;

/// <summary>
/// Renders stored reports: for people a summary, a table and Markdown (USD with cents, coverage in %, UTC to the second,
/// via Core.Presentation); for machines JSON (the hashed content plus id and hashes) and CSV, exact as stored.
/// </summary>
internal static class ReportFormatter
{
    public static string Summary(StoredReport stored)
    {
        using var doc = JsonDocument.Parse(stored.Canonical);
        var root = doc.RootElement;
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"report {stored.Id} ({stored.Kind}) at {UtcText.Format(stored.CreatedAt)}: {stored.Verdict.ToUpperInvariant()}");
        if (IsInconclusive(stored))
        {
            // Provenance (invariant 9): no figure from a missing input — even a format-1 report's partial sums stay unshown.
            var figures = ReportCanonicalForm.ReadFigures(stored);
            text.AppendLine("  circulating supply: – (inconclusive: no figure from missing inputs)");
            text.AppendLine("  reserves:           –");
            text.AppendLine("  coverage:           –");
            text.AppendLine("  shortfall:          –");
            if (figures.InconclusiveSince is { } since)
            {
                text.AppendLine(CultureInfo.InvariantCulture, $"  inconclusive since: {UtcText.Format(since)}");
            }

            if (figures.LastConclusive is { } last)
            {
                text.AppendLine(CultureInfo.InvariantCulture,
                    $"  last conclusive:    report {last.ReportId} {ReportCanonicalForm.VerdictText(last.Verdict).ToUpperInvariant()} evaluated {UtcText.Format(last.EvaluatedAt)}: coverage {PercentText.FromBps(last.CoverageBps)}, shortfall {UsdText.Format(last.Shortfall)}, circulating {UsdText.Format(last.CirculatingSupply)}, reserves {UsdText.Format(last.Reserves)}");
            }
            else if (root.TryGetProperty("lastConclusive", out _))
            {
                text.AppendLine("  last conclusive:    none before this report");
            }
        }
        else
        {
            // Every format writes the policy; a report without one (hand-made, or damaged) still gets its summary.
            var minimum = root.TryGetProperty("policy", out var policy) && policy.TryGetProperty("minimumCoverageBps", out var bps) ? bps.GetInt64() : (long?)null;
            text.AppendLine(CultureInfo.InvariantCulture, $"  circulating supply: {UsdText.FormatText(Str(root, "circulatingSupplyUsd"))}");
            text.AppendLine(CultureInfo.InvariantCulture, $"  reserves:           {UsdText.FormatText(Str(root, "reservesUsd"))}");
            text.AppendLine(CultureInfo.InvariantCulture, $"  coverage:           {PercentText.FromBps(CoverageBps(root))}{(minimum is { } m ? $" (minimum {PercentText.FromBps(m)})" : "")}");
            text.AppendLine(CultureInfo.InvariantCulture, $"  shortfall:          {UsdText.FormatText(stored.ShortfallUsd)}");
        }

        foreach (var failing in root.GetProperty("failingInputs").EnumerateArray())
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"  input: {failing.GetString()}");
        }

        foreach (var rule in root.GetProperty("rules").EnumerateArray())
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"  rule {Str(rule, "rule")}: {(rule.GetProperty("passed").GetBoolean() ? "ok" : "FAILED")} — {Str(rule, "detail")}");
        }

        text.AppendLine(CultureInfo.InvariantCulture, $"  hash {stored.Hash} (previous {stored.PreviousHash})");
        return text.ToString();
    }

    /// <summary>One report as JSON: id, hashes and the hashed content as an object.</summary>
    public static void WriteJson(Utf8JsonWriter w, StoredReport stored)
    {
        using var doc = JsonDocument.Parse(stored.Canonical);
        w.WriteStartObject();
        w.WriteNumber("id", stored.Id);
        w.WriteString("hash", stored.Hash);
        w.WriteString("previousHash", stored.PreviousHash);
        w.WritePropertyName("report");
        doc.RootElement.WriteTo(w);
        w.WriteEndObject();
    }

    public static string Json(IReadOnlyList<StoredReport> reports, bool single)
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            if (single)
            {
                WriteJson(w, reports[0]);
            }
            else
            {
                w.WriteStartArray();
                foreach (var r in reports)
                {
                    WriteJson(w, r);
                }

                w.WriteEndArray();
            }
        }

        return Encoding.UTF8.GetString(buffer.ToArray()) + "\n";
    }

    public static string Csv(IReadOnlyList<StoredReport> reports)
    {
        var text = new StringBuilder("id,created_at,kind,verdict,circulating_usd,reserves_usd,shortfall_usd,coverage_bps,failing_inputs,hash,previous_hash\n");
        foreach (var r in reports)
        {
            using var doc = JsonDocument.Parse(r.Canonical);
            var root = doc.RootElement;
            var fields = new[]
            {
                r.Id.ToString(CultureInfo.InvariantCulture), ReportCanonicalForm.Time(r.CreatedAt), r.Kind, r.Verdict, Figure(r, root, "circulatingSupplyUsd"),
                Figure(r, root, "reservesUsd"), Shortfall(r), Coverage(r, root), string.Join("; ", root.GetProperty("failingInputs").EnumerateArray().Select(e => e.GetString())),
                r.Hash, r.PreviousHash,
            };
            text.AppendLine(string.Join(',', fields.Select(CsvField)));
        }

        return text.ToString();
    }

    public static string Markdown(IReadOnlyList<StoredReport> reports)
    {
        var text = new StringBuilder("| id | created | kind | verdict | circulating supply | reserves | shortfall | coverage | failing inputs | hash |\n");
        text.Append("| ---: | --- | --- | --- | ---: | ---: | ---: | ---: | --- | --- |\n");
        foreach (var r in reports)
        {
            using var doc = JsonDocument.Parse(r.Canonical);
            var root = doc.RootElement;
            var failing = string.Join("; ", root.GetProperty("failingInputs").EnumerateArray().Select(e => e.GetString()));
            text.AppendLine(CultureInfo.InvariantCulture,
                $"| {r.Id} | {UtcText.Format(r.CreatedAt)} | {r.Kind} | {r.Verdict} | {People(Figure(r, root, "circulatingSupplyUsd"))} | {People(Figure(r, root, "reservesUsd"))} | {People(Shortfall(r))} | {(IsInconclusive(r) ? UsdText.NoFigure : PercentText.FromBps(CoverageBps(root)))} | {failing.Replace("|", "\\|", StringComparison.Ordinal)} | `{r.Hash[..16]}` |");
        }

        return text.ToString();
    }

    public static string Table(IReadOnlyList<StoredReport> reports)
    {
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"{"ID",6} {"CREATED",-23} {"KIND",-13} {"VERDICT",-20} {"SHORTFALL",28} HASH");
        foreach (var r in reports)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"{r.Id,6} {UtcText.Format(r.CreatedAt),-23} {r.Kind,-13} {r.Verdict,-20} {(IsInconclusive(r) ? UsdText.NoFigure : UsdText.FormatText(r.ShortfallUsd)),28} {r.Hash[..16]}");
        }

        return text.ToString();
    }

    private static string Str(JsonElement e, string name) => e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString()! : string.Empty;

    // An Inconclusive report has no figure; one written before format 2 may still hold a partial sum, never shown.
    private static bool IsInconclusive(StoredReport r) => r.Verdict == "inconclusive";

    private static string Figure(StoredReport r, JsonElement root, string name) => IsInconclusive(r) ? string.Empty : Str(root, name);

    private static string Shortfall(StoredReport r) => IsInconclusive(r) ? string.Empty : r.ShortfallUsd;

    private static string Coverage(StoredReport r, JsonElement root) => IsInconclusive(r) ? string.Empty : Coverage(root);

    private static long? CoverageBps(JsonElement root) =>
        root.GetProperty("coverageBps").ValueKind == JsonValueKind.Number ? root.GetProperty("coverageBps").GetInt64() : null;

    /// <summary>An exact decimal figure for people; an absent one (an Inconclusive report's) is "–".</summary>
    private static string People(string exact) => exact.Length == 0 ? UsdText.NoFigure : UsdText.FormatText(exact);

    private static string Coverage(JsonElement root) =>
        root.GetProperty("coverageBps").ValueKind == JsonValueKind.Number ? root.GetProperty("coverageBps").GetInt64().ToString(CultureInfo.InvariantCulture) : string.Empty;

    private static string CsvField(string? value)
    {
        value ??= string.Empty;
        return value.IndexOfAny([',', '"', '\n', '\r']) >= 0 ? "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : value;
    }
}
