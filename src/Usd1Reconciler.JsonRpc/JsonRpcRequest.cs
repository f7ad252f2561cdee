namespace Usd1Reconciler.JsonRpc;

/// <summary>A call to make: method name exactly as on the wire, and positional parameters.</summary>
public sealed record JsonRpcRequest(string Method, params object?[] Params);
