using System.Text.Json;

namespace Usd1Reconciler.JsonRpc;

/// <summary>The node answered with a JSON-RPC error object: the request reached it and it refused.</summary>
public sealed class JsonRpcErrorException(string method, string endpoint, long code, string rpcMessage, JsonElement? data)
    : RpcException(method, endpoint, $"error {code}: {rpcMessage}")
{
    public long Code { get; } = code;

    public string RpcMessage { get; } = rpcMessage;

    public JsonElement? ErrorData { get; } = data;
}
