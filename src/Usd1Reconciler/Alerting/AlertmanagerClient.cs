using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace Usd1Reconciler.Alerting;

/// <summary>Posts alerts to Alertmanager's v2 API (<c>POST /api/v2/alerts</c>). Alertmanager deduplicates by label set, so a re-post is harmless.</summary>
internal sealed class AlertmanagerClient(HttpClient http, IReadOnlyList<Uri> alertmanagers)
{
    public bool Enabled => alertmanagers.Count > 0;

    /// <summary>Delivers to every configured Alertmanager; throws if any refuses, so the outbox keeps the alerts for a retry.</summary>
    public async Task PostAsync(JsonArray alerts, CancellationToken cancellationToken)
    {
        foreach (var baseUrl in alertmanagers)
        {
            var url = new Uri(baseUrl, "api/v2/alerts");
            using var response = await http.PostAsJsonAsync(url, alerts, cancellationToken);
            if (!response.IsSuccessStatusCode)
            {
                var body = await response.Content.ReadAsStringAsync(cancellationToken);
                throw new HttpRequestException($"Alertmanager {baseUrl.Scheme}://{baseUrl.Authority} answered HTTP {(int)response.StatusCode}: {body[..Math.Min(body.Length, 300)]}");
            }
        }
    }
}
