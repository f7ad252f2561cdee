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

    /// <summary>True for a chain hash as stored and exported: 64 hex digits (either case; hashes compare lower-case).</summary>
    public static bool IsHash(string? text) =>
        text is { Length: 64 } && text.All(char.IsAsciiHexDigit);

    /// <summary>
    /// Checks that the stored chain still reaches what a witness saw earlier (a head hash from the metrics, a previous
    /// `report verify` or an auditor's copy; a length). <see cref="Verify"/> alone cannot see a cut at the end: the
    /// shorter chain links perfectly. Returns one line per expectation the chain does not meet.
    /// </summary>
    /// <param name="reports">The stored reports, oldest first.</param>
    /// <param name="anchorHash">The hash the oldest stored report links to (genesis until retention pruned).</param>
    /// <param name="prunedCount">Reports pruned by retention behind the anchor; they count towards the length.</param>
    /// <param name="expectedHead">A head hash seen earlier: it must be a stored report's hash (the head, or an older
    /// report when the chain grew since), or the anchor hash.</param>
    /// <param name="expectedLength">A length seen earlier: the chain must be at least this long.</param>
    public static IReadOnlyList<string> CheckReaches(IReadOnlyList<StoredReport> reports, string anchorHash, long prunedCount, string? expectedHead, long? expectedLength)
    {
        ArgumentNullException.ThrowIfNull(reports);
        ArgumentOutOfRangeException.ThrowIfNegative(prunedCount);
        var problems = new List<string>();
        var length = prunedCount + reports.Count;
        var now = reports.Count == 0 ? $"the chain is empty (length {length})" : $"the head is now report {reports[^1].Id} {Short(reports[^1].Hash)} at length {length}";
        if (expectedLength is { } expected && length < expected)
        {
            problems.Add($"the chain holds {length} report{(length == 1 ? "" : "s")} ({prunedCount} pruned + {reports.Count} stored), fewer than the {expected} expected: reports were removed from its end ({now})");
        }

        if (expectedHead is not null)
        {
            var head = expectedHead.ToLowerInvariant();
            var index = -1;
            for (var i = 0; i < reports.Count; i++)
            {
                if (string.Equals(reports[i].Hash, head, StringComparison.Ordinal))
                {
                    index = i;
                    break;
                }
            }

            if (index >= 0)
            {
                var position = prunedCount + index + 1;
                if (expectedLength is { } at && at != position && length >= at)
                {
                    problems.Add($"the expected head {Short(head)} is report {reports[index].Id} at length {position}, not at the expected length {at}: reports before it were removed or inserted");
                }
            }
            else if (!(prunedCount > 0 && string.Equals(anchorHash, head, StringComparison.Ordinal)))
            {
                problems.Add(
                    $"the chain does not reach the expected head {head}: no stored report has that hash, so the report was removed or rewritten ({now})"
                    + (prunedCount > 0 ? $"; {prunedCount} older report{(prunedCount == 1 ? " was" : "s were")} pruned by retention, and a pruned report can no longer be confirmed" : ""));
            }
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
