using System.Globalization;
using System.Text.Json.Nodes;
using Usd1Reconciler.Configuration;
using Usd1Reconciler.Storage;

namespace Usd1Reconciler.Alerting;

/// <summary>
/// Turns a stored anomaly into an Alertmanager alert. Labels identify the incident (alertname, severity, network, and
/// tx when there is one) so that Alertmanager deduplicates re-posts; annotations carry what the on-call engineer reads:
/// summary, description, the explorer link and the runbook.
/// </summary>
internal static class AlertPayload
{
    public static JsonObject Build(PendingAlert pending, AlertingOptions alerting, IReadOnlyDictionary<string, AnomalyOptions> networks, DateTimeOffset now)
    {
        var a = pending.Anomaly.Anomaly;
        var labels = new JsonObject
        {
            ["alertname"] = a.Rule.ToString(),
            ["severity"] = a.Severity,
            ["network"] = a.Network,
            ["source"] = "usd1rec",
        };
        if (a.TransactionId is not null)
        {
            labels["tx"] = a.TransactionId;
        }

        var annotations = new JsonObject
        {
            ["summary"] = a.Summary,
            ["description"] = a.Description,
            ["runbook_url"] = alerting.RunbookBaseUrl + a.Rule + ".md",
        };
        if (a.BlockNumber is { } block)
        {
            annotations["block"] = block.ToString(CultureInfo.InvariantCulture);
        }

        if (a.Actor is not null)
        {
            annotations["actor"] = a.Actor;
        }

        if (a.Amount is { } amount)
        {
            annotations["amount"] = amount.ToString();
        }

        if (a.TransactionId is not null && networks.TryGetValue(a.Network, out var options) && options.ExplorerTxUrl is { } explorer)
        {
            annotations["explorer"] = explorer.Replace("{tx}", a.TransactionId, StringComparison.Ordinal);
        }

        // A discrete anomaly resolves itself ResolveAfter past the moment it is delivered (not detected: a page
        // delayed by an Alertmanager outage must still arrive firing). A resolve sets endsAt to now.
        var startsAt = pending.Anomaly.DetectedAt;
        var endsAt = pending.Action == "resolve" ? now : (now > startsAt ? now : startsAt) + alerting.ResolveAfter;
        return new JsonObject
        {
            ["labels"] = labels,
            ["annotations"] = annotations,
            ["startsAt"] = startsAt.UtcDateTime.ToString("O", CultureInfo.InvariantCulture),
            ["endsAt"] = endsAt.UtcDateTime.ToString("O", CultureInfo.InvariantCulture),
        };
    }
}
