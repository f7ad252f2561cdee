namespace Usd1Reconciler.JsonRpc;

/// <summary>
/// No usable endpoint of a network answered the call, after every retry round it was allowed; <see cref="Failures"/>
/// says how each attempt of this call failed (empty when every endpoint was resting or untrusted, so none was asked),
/// and <see cref="EndpointStates"/> says, per endpoint that explains the outage, its last real failure and when it is
/// asked again. While this is what a network's calls end in, the network has no healthy endpoint and its data is stale.
/// The message always carries a cause: an on-call reading "failed at every usable endpoint" with nothing after it
/// cannot tell a refused connection from an expired API key.
/// </summary>
public sealed class RpcUnavailableException(string network, string method, IReadOnlyList<RpcException> failures, IReadOnlyList<string>? endpointStates = null)
    : Exception(Compose(network, method, failures, endpointStates ?? []))
{
    public string Network { get; } = network;

    public IReadOnlyList<RpcException> Failures { get; } = failures;

    /// <summary>One line per endpoint that is not healthy: label (scheme://host:port only), state, until when, last failure.</summary>
    public IReadOnlyList<string> EndpointStates { get; } = endpointStates ?? [];

    private static string Compose(string network, string method, IReadOnlyList<RpcException> failures, IReadOnlyList<string> states)
    {
        var head = failures.Count == 0
            ? $"network '{network}': {method} failed: no endpoint could be asked"
            : $"network '{network}': {method} failed at every usable endpoint ({failures.Count} attempt(s) at {failures.Select(f => f.Endpoint).Distinct().Count()} endpoint(s)): "
                + string.Join("; ", failures.Select(f => f.Message).Distinct());
        return states.Count == 0
            ? (failures.Count == 0 ? head + " (no endpoint state known)" : head)
            : $"{head} — endpoints: {string.Join("; ", states)}";
    }
}
