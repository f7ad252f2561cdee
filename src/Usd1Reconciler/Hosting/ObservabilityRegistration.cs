using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Usd1Reconciler.Alerting;
using Usd1Reconciler.Composition;
using Usd1Reconciler.Configuration;
using Usd1Reconciler.Metrics;
using Usd1Reconciler.Storage;
using Usd1Reconciler.Storage.Leasing;
using Usd1Reconciler.Web;

namespace Usd1Reconciler.Hosting;

/// <summary>Adds metrics, anomaly screening, Alertmanager delivery and the HTTP endpoints to the daemon's host.</summary>
internal static class ObservabilityRegistration
{
    public static IHostApplicationBuilder AddObservability(this IHostApplicationBuilder builder, LoadedConfiguration config, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(config);
        var options = config.Options;
        // A registry per host, not the process-wide default: two hosts in one process (tests) must not share series.
        var metrics = new ReconcilerMetrics(Prometheus.Metrics.NewCustomRegistry());
        metrics.CoverageMinimumRatio.Set(options.Reconciliation.MinimumCoverageBps / 10_000.0);
        PrecreateSeries(metrics, options);
        // The instance's own name (the lease holder's and the Quartz node's): Prometheus's `instance` label is the
        // scrape target, which the daemon must not set itself (docs/operations-ha.md, "Metrics and the instance label").
        metrics.InstanceInfo.WithLabels(options.Instance.ResolveId()).Set(1);
        var staleAfter = options.Networks.ToDictionary(n => n.Name, n => n.StaleAfter, StringComparer.Ordinal);
        var anomalyOptions = options.Networks.ToDictionary(n => n.Name, n => n.Anomalies ?? new AnomalyOptions(), StringComparer.Ordinal);
        builder.Services.AddSingleton(metrics);
        // The stores come from the storage registration (AddReconciler); this area names only their interfaces.
        builder.Services.AddSingleton(provider => new StoreMetricsRefresher(provider.GetRequiredService<IIndexStore>(), provider.GetRequiredService<IAnomalyStore>(), metrics, staleAfter, time));
        builder.Services.AddSingleton(provider => new AnomalyScreener(
            provider.GetRequiredService<IIndexStore>(),
            provider.GetRequiredService<IAnomalyStore>(),
            options.Networks.ToDictionary(n => n.Name, n => AnomalyPolicyFactory.Create(n.Anomalies), StringComparer.Ordinal),
            AnomalyPagingFactory.Create(options.Alerting),
            options.Alerting.ResolveAfter / 2,
            metrics,
            time,
            provider.GetRequiredService<ILoggerFactory>().CreateLogger("usd1rec.anomalies"),
            // The storage registration has an IGovernanceStore only when its provider keeps governance; without one
            // the daemon screens supply only.
            provider.GetService<Core.Governance.IGovernanceStore>() is { } governanceStore
                ? new GovernanceScreener(
                    governanceStore,
                    provider.GetRequiredService<IAnomalyStore>(),
                    options.Networks.ToDictionary(n => n.Name, GovernancePolicyFactory.Create, StringComparer.Ordinal),
                    AnomalyPagingFactory.Create(options.Alerting),
                    options.Alerting.ResolveAfter / 2,
                    metrics,
                    time,
                    provider.GetRequiredService<ILoggerFactory>().CreateLogger("usd1rec.governance"))
                : null,
            options.TokenSymbol));
        builder.Services.AddSingleton(provider => new AlertDispatcher(
            provider.GetRequiredService<IAnomalyStore>(),
            new AlertmanagerClient(provider.GetRequiredService<HttpClient>(), options.Alerting.AlertmanagerUrls.Select(u => new Uri(u.EndsWith('/') ? u : u + "/")).ToList()),
            options.Alerting,
            anomalyOptions,
            metrics,
            time,
            provider.GetRequiredService<ILoggerFactory>().CreateLogger("usd1rec.alerting"),
            options.Instance.ResolveId()));
        builder.Services.AddSingleton(provider =>
        {
            var reconciliationStore = provider.GetRequiredService<IReconciliationStore>();
            var reportMetrics = new ReconciliationMetricsRefresher(reconciliationStore, metrics, options.Reserves.Feeds.ToDictionary(f => f.Name, f => f.StaleAfter, StringComparer.Ordinal), time);
            var chainMetrics = new ReportChainMetricsRefresher(reconciliationStore, metrics);
            var statusPage = new StatusPage(
                provider.GetRequiredService<IIndexStore>(),
                provider.GetRequiredService<IAnomalyStore>(),
                reconciliationStore,
                new StatusPageSettings(
                    options.Networks.Select(n => new StatusPageNetwork(n.Name, n.StaleAfter, n.Anomalies?.ExplorerTxUrl)).ToList(),
                    options.Alerting.RunbookBaseUrl,
                    options.TokenSymbol),
                time);
            return new ObservabilityServer(
                options.Http.Listen,
                metrics,
                async ct =>
                {
                    await provider.GetRequiredService<StoreMetricsRefresher>().RefreshAsync(ct);
                    var leases = provider.GetRequiredService<INetworkWriterLeases>();
                    foreach (var network in options.Networks)
                    {
                        metrics.NetworkWriter.WithLabels(network.Name).Set(leases.IsHeld(network.Name) ? 1 : 0);
                    }

                    new RpcMetricsRefresher(provider.GetRequiredService<ReconcilerServices>().Indexers.Values.OfType<JsonRpc.IEndpointHealthSource>(), metrics).Refresh();
                    await reportMetrics.RefreshAsync(ct);
                    await chainMetrics.RefreshAsync(ct);
                },
                new ReadinessProbe(
                    provider.GetRequiredService<IIndexStore>(),
                    options.Networks.Select(n => n.Name).ToList(),
                    () => provider.GetRequiredService<ReconcilerServices>().Indexers.Values.OfType<JsonRpc.IEndpointHealthSource>(),
                    JsonRpc.RpcResilienceOptions.Default.FailureThreshold),
                async (context, ct) =>
                {
                    context.Response.ContentType = "text/html; charset=utf-8";
                    await context.Response.WriteAsync(await statusPage.RenderAsync(ct), ct);
                },
                provider.GetRequiredService<ILoggerFactory>());
        });
        builder.Services.AddHostedService(provider => provider.GetRequiredService<ObservabilityServer>());
        return builder;
    }

    /// <summary>
    /// Creates every labelled counter's series at zero up front: a series that appears only with its first increment
    /// hides that increment from increase()/rate(), and a dashboard panel over it shows "no data" instead of 0.
    /// </summary>
    private static void PrecreateSeries(ReconcilerMetrics metrics, ReconcilerOptions options)
    {
        foreach (var network in options.Networks)
        {
            metrics.EventsIndexed.WithLabels(network.Name, "mint");
            metrics.EventsIndexed.WithLabels(network.Name, "burn");
            metrics.Reorgs.WithLabels(network.Name);
            metrics.DeepReorgs.WithLabels(network.Name);
            metrics.ReorgDepth.WithLabels(network.Name).Set(0);
            foreach (var rule in Enum.GetNames<Core.Anomalies.AnomalyRule>())
            {
                metrics.Anomalies.WithLabels(rule, network.Name);
            }

            foreach (var url in network.RpcUrls)
            {
                var endpoint = Uri.TryCreate(url, UriKind.Absolute, out var uri) ? $"{uri.Scheme}://{uri.Host}:{uri.Port}" : url;
                foreach (var outcome in new[] { "ok", "error", "timeout", "rate_limited" })
                {
                    metrics.RpcRequests.WithLabels(network.Name, endpoint, outcome);
                }
            }
        }

        foreach (var feed in options.Reserves.Feeds)
        {
            metrics.FeedRejections.WithLabels(feed.Name, "invalid");
        }
    }
}
