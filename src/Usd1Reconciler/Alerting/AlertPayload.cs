using System.Globalization;
using System.Text.Json.Nodes;
using Usd1Reconciler.Configuration;
using Usd1Reconciler.Storage;

namespace Usd1Reconciler.Alerting;

/// <summary>
/// Turns a stored anomaly into an Alertmanager alert. Labels identify the incident (alertname, severity, network, and
/// tx when there is one) so that Alertmanager deduplicates re-posts; annotations carry what the on-call engineer reads:
/// summary, description, the explorer link and the runbook.
/// <para>
/// The instance that delivered a push is an annotation (<c>instance</c>), never a label (issue 14.6): a page is
/// delivered at least once, and when a standby re-sends an entry whose delivery the dead instance never recorded, or
/// re-posts an open condition, the labels must be the very same for Alertmanager to deduplicate it into one page.
/// An <c>instance</c> label would make each instance's post a separate alert and page twice.
/// </para>
/// </summary>
internal static class AlertPayload
{
    /// <param name="instanceId">The delivering instance (<c>Instance:Id</c>), sent as the annotation <c>instance</c>; null sends none.</param>
    public static JsonObject Build(PendingAlert pending, AlertingOptions alerting, IReadOnlyDictionary<string, AnomalyOptions> networks, DateTimeOffset now, string? instanceId = null)
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
        if (instanceId is not null)
        {
            annotations["instance"] = instanceId;
        }

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
