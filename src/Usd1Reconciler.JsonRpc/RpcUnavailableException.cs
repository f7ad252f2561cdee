namespace Usd1Reconciler.JsonRpc;

/// <summary>
/// No usable endpoint of a network answered the call, after every retry round it was allowed; <see cref="Failures"/>
/// says how each attempt failed (and why the endpoints not asked were skipped). While this is what a network's calls
/// end in, the network has no healthy endpoint and its data is stale.
/// </summary>
public sealed class RpcUnavailableException(string network, string method, IReadOnlyList<RpcException> failures)
    : Exception($"network '{network}': {method} failed at every usable endpoint ({Describe(failures)}): " + string.Join("; ", failures.Select(f => f.Message).Distinct()))
{
    public string Network { get; } = network;

    public IReadOnlyList<RpcException> Failures { get; } = failures;

    private static string Describe(IReadOnlyList<RpcException> failures) =>
        $"{failures.Count} attempt(s) at {failures.Select(f => f.Endpoint).Distinct().Count()} endpoint(s)";
}
