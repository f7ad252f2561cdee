using System.Globalization;
using Usd1Reconciler.Core.Supply;
using Usd1Reconciler.JsonRpc;
using Usd1Reconciler.Storage;

namespace Usd1Reconciler.Web;

/// <summary>
/// Decides /readyz from two witnesses: the store (indexed at least once; passes failing since when, and why — this
/// survives a restart during an outage) and the live endpoint health of each network's RPC client (every endpoint
/// open, rate limited, untrusted or failing its trial calls — known before the next pass records it). A daemon whose
/// figures are going stale must not look ready to an orchestrator or a load balancer's health check.
/// </summary>
internal sealed class ReadinessProbe(
    IIndexStore store,
    IReadOnlyList<string> networks,
    Func<IEnumerable<IEndpointHealthSource>> endpoints,
    int circuitFailureThreshold)
{
    public async Task<ReadinessReport> CheckAsync(CancellationToken cancellationToken)
    {
        IReadOnlyList<NetworkSupply> stored;
        try
        {
            stored = await store.GetSupplyAsync(cancellationToken);
        }
        catch (Exception ex) when (ex is StoreException or InvalidOperationException)
        {
            return new ReadinessReport(false, [$"store: {ex.Message}"]);
        }

        return Evaluate(networks, stored, endpoints().SelectMany(s => s.GetEndpointHealth()).ToList(), circuitFailureThreshold);
    }

    /// <summary>One line per reason a network is not ready, in configured network order; ready when there is none.</summary>
    public static ReadinessReport Evaluate(
        IReadOnlyList<string> networks, IReadOnlyList<NetworkSupply> stored, IReadOnlyList<EndpointHealth> health, int circuitFailureThreshold)
    {
        var byName = stored.ToDictionary(s => s.Name, StringComparer.Ordinal);
        var waiting = new List<string>();
        foreach (var network in networks)
        {
            byName.TryGetValue(network, out var supply);
            if (supply?.LastIndexedAt is null)
            {
                waiting.Add($"network {network}: not indexed yet");
            }

            if (supply?.FailingSince is { } since)
            {
                waiting.Add($"network {network}: index passes failing since {Time(since)}: {supply.FailingReason ?? "no reason recorded"}");
            }

            var endpoints = health.Where(h => h.Network == network).ToList();
            if (endpoints.Count > 0 && !endpoints.Any(h => IsUsable(h, circuitFailureThreshold)))
            {
                waiting.Add($"network {network}: no usable RPC endpoint: {string.Join("; ", endpoints.Select(Describe))}");
            }
        }

        return new ReadinessReport(waiting.Count == 0, waiting);
    }

    /// <summary>
    /// Healthy, or failed fewer times in a row than open a circuit (one lost packet is not an outage). An endpoint whose
    /// break is over but whose trial call has not answered yet is not usable: it has only failed so far.
    /// </summary>
    private static bool IsUsable(EndpointHealth h, int circuitFailureThreshold) =>
        h.State == EndpointState.Healthy || (h.State == EndpointState.Degraded && h.ConsecutiveFailures < circuitFailureThreshold);

    private static string Describe(EndpointHealth h)
    {
        var state = h.State switch
        {
            EndpointState.Untrusted => $"not trusted: {h.UntrustedReason}",
            EndpointState.Open => "circuit open",
            EndpointState.RateLimited => "rate limited",
            _ => $"{h.ConsecutiveFailures} failure(s) in a row",
        };
        // Rounded up, as the RPC client's messages print it: never earlier than the real end of the rest.
        var until = h.RestUntil is { } rest ? $" until {Time(rest.AddTicks((TimeSpan.TicksPerSecond - (rest.Ticks % TimeSpan.TicksPerSecond)) % TimeSpan.TicksPerSecond))}" : string.Empty;
        var last = h.LastFailureAt is { } at ? $", last failure at {Time(at)}: {h.LastError}" : string.Empty;
        return $"{h.Endpoint} {state}{until}{last}";
    }

    private static string Time(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}
