using System.Globalization;
using System.Text.Json;
using Usd1Reconciler.Core.Amounts;
using Usd1Reconciler.Core.Reserves;

namespace Usd1Reconciler.Reserves.Parsing;

/// <summary>Strict readers shared by the parsers. Amounts never pass through a double: JSON numbers are read from their raw text.</summary>
internal static class FieldReader
{
    /// <summary>Parses a feed document whose root must be a JSON object; anything else is a format error, never a default.</summary>
    public static JsonDocument ParseObject(byte[] body, int maxDepth)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body, new JsonDocumentOptions { MaxDepth = maxDepth });
        }
        catch (JsonException ex)
        {
            throw new SnapshotFormatException($"not JSON: {ex.Message}");
        }

        if (document.RootElement.ValueKind != JsonValueKind.Object)
        {
            var kind = document.RootElement.ValueKind;
            document.Dispose();
            throw new SnapshotFormatException($"the document is a JSON {kind}, not an object");
        }

        return document;
    }

    public static string RequireString(JsonElement obj, string name, string where)
    {
        if (!obj.TryGetProperty(name, out var value) || value.ValueKind != JsonValueKind.String || string.IsNullOrWhiteSpace(value.GetString()))
        {
            throw new SnapshotFormatException($"{where}: '{name}' is missing or not a non-empty string");
        }

        return value.GetString()!.Trim();
    }

    public static string? OptionalString(JsonElement obj, string name, string where)
    {
        if (!obj.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        return value.ValueKind == JsonValueKind.String ? value.GetString() : throw new SnapshotFormatException($"{where}: '{name}' is not a string");
    }

    /// <summary>A USD amount given as a JSON string or number, read exactly from its text.</summary>
    public static UsdAmount Amount(JsonElement obj, string name, string where)
    {
        if (!obj.TryGetProperty(name, out var value))
        {
            throw new SnapshotFormatException($"{where}: '{name}' is missing");
        }

        var text = value.ValueKind switch
        {
            JsonValueKind.String => value.GetString(),
            JsonValueKind.Number => value.GetRawText(),
            _ => throw new SnapshotFormatException($"{where}: '{name}' is a JSON {value.ValueKind}, not an amount"),
        };
        return ParseAmount(text, $"{where}: '{name}'");
    }

    public static UsdAmount ParseAmount(string? text, string where) =>
        UsdAmount.TryParse(text?.Trim(), out var amount, out var error) ? amount : throw new SnapshotFormatException($"{where}: {error}");

    /// <summary>ISO-8601 with an explicit offset ("Z" or "+hh:mm"): a time without one could be read in any zone.</summary>
    public static DateTimeOffset ParseTime(string? text, string where)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            throw new SnapshotFormatException($"{where}: the timestamp is missing");
        }

        var trimmed = text.Trim();
        var hasOffset = trimmed.EndsWith('Z') || trimmed.EndsWith('z') || (trimmed.Length > 6 && trimmed[^6] is '+' or '-' && trimmed[^3] == ':');
        if (!hasOffset || !DateTimeOffset.TryParse(trimmed, CultureInfo.InvariantCulture, DateTimeStyles.None, out var time))
        {
            throw new SnapshotFormatException($"{where}: '{trimmed}' is not an ISO-8601 time with a UTC offset");
        }

        return time.ToUniversalTime();
    }

    public static AssetClass ParseAssetClass(string? text, string where) =>
        AssetClassNames.TryParse(text, out var assetClass)
            ? assetClass
            : throw new SnapshotFormatException($"{where}: asset class '{text}' is not one of cash, tbills, reverse_repo, mmf, other");

    public static int? ParseDays(string? text, string where)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        return int.TryParse(text.Trim(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var days)
            ? days
            : throw new SnapshotFormatException($"{where}: days to liquidity '{text}' is not an integer");
    }
}
