namespace Usd1Reconciler.JsonRpc;

/// <summary>
/// Base of every RPC failure. The message always names the method and the endpoint (scheme, host and port only: paths
/// and queries of provider URLs often carry API keys and never appear in messages or logs).
/// </summary>
public abstract class RpcException(string method, string endpoint, string message, Exception? inner = null)
    : Exception($"{method} at {endpoint}: {message}", inner)
{
    public string Method { get; } = method;

    public string Endpoint { get; } = endpoint;

    /// <summary>What went wrong, without the method and endpoint prefix (so a reply reader's error can be re-labelled with the endpoint that sent the reply).</summary>
    public string Detail { get; } = message;
}
