using System.Text.Json;

namespace Usd1Reconciler.JsonRpc;

/// <summary>The outcome of one request: its result (cloned, safe to keep) or the error the node returned.</summary>
public sealed record JsonRpcResult(JsonElement Result, JsonRpcErrorException? Error)
{
    public JsonElement GetResultOrThrow() => Error is null ? Result : throw Error;
}
