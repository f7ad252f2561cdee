namespace Usd1Reconciler.JsonRpc;

/// <summary>Anything that can report the health of a network's RPC endpoints (the JSON-RPC client, and the indexers that own one).</summary>
public interface IEndpointHealthSource
{
    /// <summary>One entry per configured endpoint, in configured order.</summary>
    IReadOnlyList<EndpointHealth> GetEndpointHealth();
}
