using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Usd1Reconciler.Configuration;
using Usd1Reconciler.Metrics;
using Usd1Reconciler.Storage;

namespace Usd1Reconciler.Alerting;

/// <summary>
/// Delivers the outbox to Alertmanager. An entry leaves the outbox only when Alertmanager accepted it; a failure
/// reschedules the batch with exponential backoff (2^attempts seconds, at most 5 minutes), so an outage or a restart
/// delays pages but loses none, and Alertmanager's own deduplication keeps a re-post from paging twice. On a shared
/// store the batch is claimed first, so two instances never send the same entries (issue 14.5).
/// Without an Alertmanager nothing is queued (anomalies are stored unpaged); entries queued before — by an older
/// release, or while one was configured — are abandoned once at start, so they do not count as pending for ever.
/// </summary>
internal sealed class AlertDispatcher(
    IAnomalyStore anomalyStore,
    AlertmanagerClient client,
    AlertingOptions options,
    IReadOnlyDictionary<string, AnomalyOptions> networkOptions,
    ReconcilerMetrics metrics,
    TimeProvider time,
    ILogger logger,
    string? instanceId = null)
{
    private static readonly TimeSpan MaxBackoff = TimeSpan.FromMinutes(5);

    // How long claimed entries stay this instance's (issue 14.5) before another may send them: well past one POST
    // (the client's timeout) and the mark that follows, so a live claimer never loses its claim mid-delivery.
    private static readonly TimeSpan ClaimFor = TimeSpan.FromMinutes(2);

    private bool _abandonedUndeliverable;

    /// <summary>Sends what is due; returns how many alerts Alertmanager accepted.</summary>
    public async Task<int> DispatchAsync(CancellationToken cancellationToken)
    {
        if (!client.Enabled)
        {
            if (!_abandonedUndeliverable)
            {
                var abandoned = await anomalyStore.AbandonUndeliveredAsync(AnomalyPaging.NoAlertmanagerNote, time.GetUtcNow(), cancellationToken);
                _abandonedUndeliverable = true;
                if (abandoned > 0)
                {
                    logger.LogWarning("no Alertmanager configured: {Count} undelivered push(es) queued earlier will not be sent; their anomalies stay stored, marked not paged", abandoned);
                }

                metrics.AlertsPending.Set(await anomalyStore.CountPendingAlertsAsync(cancellationToken));
            }

            return 0;
        }

        var delivered = 0;
        while (true)
        {
            var now = time.GetUtcNow();
            var due = await anomalyStore.ClaimDueAlertsAsync(now, 100, ClaimFor, cancellationToken);
            if (due.Count == 0)
            {
                break;
            }

            var payload = new JsonArray(due.Select(d => (JsonNode)AlertPayload.Build(d, options, networkOptions, now, instanceId)).ToArray());
            var ids = due.Select(d => d.OutboxId).ToList();
            try
            {
                await client.PostAsync(payload, cancellationToken);
                await anomalyStore.MarkDeliveredAsync(ids, time.GetUtcNow(), cancellationToken);
                delivered += due.Count;
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
            {
                var attempts = due.Max(d => d.Attempts) + 1;
                var backoff = TimeSpan.FromSeconds(Math.Min(Math.Pow(2, attempts), MaxBackoff.TotalSeconds));
                await anomalyStore.MarkFailedAsync(ids, ex.Message, now + backoff, cancellationToken);
                logger.LogWarning("Alertmanager did not accept {Count} alert(s), retrying in {Backoff}: {Reason}", due.Count, backoff, ex.Message);
                break;
            }
        }

        metrics.AlertsPending.Set(await anomalyStore.CountPendingAlertsAsync(cancellationToken));
        return delivered;
    }
}
