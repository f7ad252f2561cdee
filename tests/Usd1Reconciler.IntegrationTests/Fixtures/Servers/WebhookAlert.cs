using System.Text.Json;

namespace Usd1Reconciler.IntegrationTests.Fixtures;

/// <summary>One alert inside a webhook post.</summary>
internal sealed record WebhookAlert(
    string Status,
    IReadOnlyDictionary<string, string> Labels,
    IReadOnlyDictionary<string, string> Annotations,
    DateTimeOffset StartsAt,
    DateTimeOffset EndsAt,
    string Fingerprint)
{
    public static WebhookAlert From(JsonElement alert) => new(
        alert.GetProperty("status").GetString()!,
        WebhookNotification.Strings(alert.GetProperty("labels")),
        WebhookNotification.Strings(alert.GetProperty("annotations")),
        alert.GetProperty("startsAt").GetDateTimeOffset(),
        alert.GetProperty("endsAt").GetDateTimeOffset(),
        alert.TryGetProperty("fingerprint", out var f) ? f.GetString() ?? "" : "");
}
