using System.Text.Json;
using Usd1Reconciler.Core.Governance;

namespace Usd1Reconciler.Storage;

/// <summary>
/// How the governance record's enumerations and proof differences are written as text, the same in both providers (the
/// SQLite and PostgreSQL stores keep identical values, so a store moved between them, or read by treasury tools, means
/// the same). A value this build does not know was written by a newer usd1rec or by hand: it is refused naming the
/// store, never read as something else.
/// </summary>
internal static class GovernanceRecordText
{
    public static string StatusText(GovernanceProofStatus status) => status switch
    {
        GovernanceProofStatus.Ok => "ok",
        GovernanceProofStatus.Mismatch => "mismatch",
        _ => "stale",
    };

    public static GovernanceProofStatus ParseStatus(string text, string location) => text switch
    {
        "ok" => GovernanceProofStatus.Ok,
        "mismatch" => GovernanceProofStatus.Mismatch,
        "stale" => GovernanceProofStatus.Stale,
        _ => throw new StoreSchemaException($"unknown governance proof status '{text}' in store {location}"),
    };

    public static string KindText(GovernanceChangeKind kind) => kind.ToString();

    /// <summary>The kind by its name only: a number (which Enum.TryParse would take) or an undefined name is refused.</summary>
    public static GovernanceChangeKind ParseKind(string text, string location) =>
        Enum.TryParse<GovernanceChangeKind>(text, ignoreCase: false, out var kind) && Enum.IsDefined(kind) && !int.TryParse(text, out _)
            ? kind
            : throw new StoreSchemaException($"unknown governance change kind '{text}' in store {location}: written by a newer usd1rec?");

    /// <summary>The differences as a JSON array of [subject, folded, chain] triples.</summary>
    public static string DifferencesJson(IReadOnlyList<GovernanceProofDifference> differences) =>
        JsonSerializer.Serialize(differences.Select(d => new[] { d.Subject, d.Folded, d.Chain }));

    public static IReadOnlyList<GovernanceProofDifference> ParseDifferences(string json, string network, string location)
    {
        string[][]? triples;
        try
        {
            triples = JsonSerializer.Deserialize<string[][]>(json);
        }
        catch (JsonException ex)
        {
            throw new StoreSchemaException($"governance proof of '{network}' has unreadable differences in store {location}", ex);
        }

        return (triples ?? [])
            .Select(d => d is { Length: 3 } && d.All(s => s is not null)
                ? new GovernanceProofDifference(d[0], d[1], d[2])
                : throw new StoreSchemaException($"governance proof of '{network}' has a malformed difference in store {location}"))
            .ToList();
    }
}
