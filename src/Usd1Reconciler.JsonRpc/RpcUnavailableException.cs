namespace Usd1Reconciler.JsonRpc;

/// <summary>Every configured endpoint of a network failed the same call; <see cref="Failures"/> says how each did.</summary>
public sealed class RpcUnavailableException(string network, string method, IReadOnlyList<RpcException> failures)
    : Exception($"network '{network}': {method} failed on all {failures.Count} endpoint(s): " + string.Join("; ", failures.Select(f => f.Message)))
{
    public string Network { get; } = network;

    public IReadOnlyList<RpcException> Failures { get; } = failures;
}
