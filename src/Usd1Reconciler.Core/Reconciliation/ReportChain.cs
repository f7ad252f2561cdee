using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Usd1Reconciler.Core.Reconciliation;

/// <summary>
/// The audit trail's hash chain: hash(n) = SHA-256(hash(n−1) + "\n" + canonical(n)), lower-case hex; the first report
/// links to <see cref="GenesisHash"/>. Editing any stored report changes its hash (or leaves it disagreeing with its
/// content), and editing the hash too breaks the next report's link.
/// </summary>
public static class ReportChain
{
    public static readonly string GenesisHash = new('0', 64);

    public static string Hash(string previousHash, string canonical)
    {
        ArgumentNullException.ThrowIfNull(previousHash);
        ArgumentNullException.ThrowIfNull(canonical);
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(previousHash + "\n" + canonical)));
    }

    /// <summary>Checks every link and every copied column; returns one line per problem, each naming the report id.</summary>
    public static IReadOnlyList<string> Verify(IReadOnlyList<StoredReport> reports, string anchorHash)
    {
        ArgumentNullException.ThrowIfNull(reports);
        var problems = new List<string>();
        var expectedPrevious = anchorHash;
        foreach (var report in reports)
        {
            if (!string.Equals(report.PreviousHash, expectedPrevious, StringComparison.Ordinal))
            {
                problems.Add($"report {report.Id}: previous hash {Short(report.PreviousHash)} does not match the hash {Short(expectedPrevious)} of the report before it (a report was removed or re-hashed)");
            }

            var recomputed = Hash(report.PreviousHash, report.Canonical);
            if (!string.Equals(recomputed, report.Hash, StringComparison.Ordinal))
            {
                problems.Add($"report {report.Id}: content hashes to {Short(recomputed)}, not the stored {Short(report.Hash)} (the report was edited)");
            }

            problems.AddRange(CheckColumns(report));
            expectedPrevious = report.Hash;
        }

        return problems;
    }

    private static List<string> CheckColumns(StoredReport report)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(report.Canonical);
        }
        catch (JsonException ex)
        {
            return [$"report {report.Id}: stored content is not JSON ({ex.Message})"];
        }

        using (document)
        {
            var root = document.RootElement;
            var problems = new List<string>();
            Compare(problems, report.Id, "verdict", report.Verdict, root, "verdict");
            Compare(problems, report.Id, "kind", report.Kind, root, "kind");
            Compare(problems, report.Id, "shortfall_usd", report.ShortfallUsd, root, "shortfallUsd");
            Compare(problems, report.Id, "created_at", ReportCanonicalForm.Time(report.CreatedAt), root, "createdAt");
            Compare(problems, report.Id, "evaluated_at", ReportCanonicalForm.Time(report.EvaluatedAt), root, "evaluatedAt");
            return problems;
        }
    }

    private static void Compare(List<string> problems, long id, string column, string value, JsonElement root, string property)
    {
        // A figure an Inconclusive report does not have is null in the content and an empty column (format 2).
        var inContent = !root.TryGetProperty(property, out var element) ? null
            : element.ValueKind == JsonValueKind.String ? element.GetString()
            : element.ValueKind == JsonValueKind.Null ? string.Empty
            : null;
        if (!string.Equals(value, inContent, StringComparison.Ordinal))
        {
            problems.Add($"report {id}: column {column} '{value}' differs from the hashed content '{inContent}' (the row was edited)");
        }
    }

    private static string Short(string hash) => hash.Length > 12 ? hash[..12] + "…" : hash;
}
