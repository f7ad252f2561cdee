namespace Usd1Reconciler.JsonRpc;

/// <summary>The answer arrived but is not what the protocol or the method promises: malformed JSON, a missing field, a value of the wrong shape.</summary>
public sealed class RpcProtocolException(string method, string endpoint, string message, Exception? inner = null)
    : RpcException(method, endpoint, message, inner);
