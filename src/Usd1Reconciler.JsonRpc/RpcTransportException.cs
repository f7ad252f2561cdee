namespace Usd1Reconciler.JsonRpc;

/// <summary>The request did not get a usable HTTP answer: connection failure, timeout, or a non-2xx status.</summary>
public sealed class RpcTransportException(string method, string endpoint, string message, int? httpStatus = null, TimeSpan? retryAfter = null, Exception? inner = null)
    : RpcException(method, endpoint, message, inner)
{
    public int? HttpStatus { get; } = httpStatus;

    /// <summary>The server's Retry-After, when it sent one (HTTP 429/503).</summary>
    public TimeSpan? RetryAfter { get; } = retryAfter;
}
