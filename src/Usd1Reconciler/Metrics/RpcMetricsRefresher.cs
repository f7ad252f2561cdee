using Usd1Reconciler.JsonRpc;

namespace Usd1Reconciler.Metrics;

/// <summary>
/// Copies each network's endpoint health into the RPC metrics: request counts per endpoint and outcome (the clients
/// keep cumulative counts, which counters follow with IncTo) and how many endpoints are usable right now. A network
/// whose count drops to zero is the "all RPC endpoints failing" alert.
/// </summary>
internal sealed class RpcMetricsRefresher(IEnumerable<IEndpointHealthSource> sources, ReconcilerMetrics metrics)
{
    public void Refresh()
    {
        foreach (var network in sources.SelectMany(s => s.GetEndpointHealth()).GroupBy(h => h.Network))
        {
            var healthy = 0;
            foreach (var endpoint in network)
            {
                metrics.RpcRequests.WithLabels(endpoint.Network, endpoint.Endpoint, "ok").IncTo(Math.Max(0, endpoint.Requests - endpoint.Failures));
                metrics.RpcRequests.WithLabels(endpoint.Network, endpoint.Endpoint, endpoint.State == EndpointState.RateLimited ? "rate_limited" : "error").IncTo(endpoint.Failures);
                if (endpoint.State is EndpointState.Healthy or EndpointState.Degraded)
                {
                    healthy++;
                }
            }

            metrics.RpcEndpointsHealthy.WithLabels(network.Key).Set(healthy);
        }
    }
}
