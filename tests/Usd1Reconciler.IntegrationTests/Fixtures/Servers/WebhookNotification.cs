using System.Diagnostics;
using System.Text.Json;

namespace Usd1Reconciler.IntegrationTests.Fixtures;

/// <summary>One Alertmanager webhook post. <see cref="ReceivedTimestamp"/> is a <see cref="Stopwatch"/> timestamp for latency maths.</summary>
internal sealed record WebhookNotification(
    string Status,
    string Receiver,
    string Path,
    IReadOnlyDictionary<string, string> GroupLabels,
    IReadOnlyList<WebhookAlert> Alerts,
    DateTimeOffset ReceivedAt,
    long ReceivedTimestamp,
    string RawJson)
{
    public static WebhookNotification Parse(string json, string path, DateTimeOffset receivedAt, long receivedTimestamp)
    {
        using var document = JsonDocument.Parse(json);
        var root = document.RootElement;
        return new WebhookNotification(
            root.GetProperty("status").GetString()!,
            root.GetProperty("receiver").GetString()!,
            path,
            Strings(root.GetProperty("groupLabels")),
            [.. root.GetProperty("alerts").EnumerateArray().Select(WebhookAlert.From)],
            receivedAt,
            receivedTimestamp,
            json);
    }

    internal static Dictionary<string, string> Strings(JsonElement map) =>
        map.ValueKind == JsonValueKind.Object
            ? map.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString() ?? "")
            : [];
}
