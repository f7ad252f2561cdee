using System.Globalization;
using System.Text.Json;

namespace Usd1Reconciler.JsonRpc;

/// <summary>
/// Checks a reply against the JSON-RPC 2.0 envelope and pairs each answer with its request by id (batch answers may
/// come in any order). Anything off-shape is an <see cref="RpcProtocolException"/>, never a silent default.
/// </summary>
internal static class JsonRpcReplyReader
{
    public static IReadOnlyList<JsonRpcResult> Read(JsonElement root, IReadOnlyList<JsonRpcRequest> requests, long[] ids, string endpoint)
    {
        var label = requests.Count == 1 ? requests[0].Method : $"batch of {requests.Count}";
        var results = new JsonRpcResult?[requests.Count];
        if (requests.Count == 1)
        {
            results[0] = ReadOne(root, requests[0].Method, ids[0], endpoint);
            return [results[0]!];
        }

        if (root.ValueKind == JsonValueKind.Object && root.TryGetProperty("error", out _))
        {
            // Some nodes answer a whole batch with one error object (e.g. batches disabled or too large).
            var single = ReadOne(root, label, null, endpoint);
            return Enumerable.Repeat(single, requests.Count).ToList();
        }

        if (root.ValueKind != JsonValueKind.Array)
        {
            throw new RpcProtocolException(label, endpoint, $"expected a JSON array for a batch, got {root.ValueKind}");
        }

        var positions = new Dictionary<long, int>(requests.Count);
        for (var i = 0; i < ids.Length; i++)
        {
            positions[ids[i]] = i;
        }

        foreach (var item in root.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.Object || !item.TryGetProperty("id", out var idElement) || idElement.ValueKind != JsonValueKind.Number
                || !idElement.TryGetInt64(out var id) || !positions.TryGetValue(id, out var position))
            {
                throw new RpcProtocolException(label, endpoint, "batch reply holds an item without a known id");
            }

            if (results[position] is not null)
            {
                throw new RpcProtocolException(label, endpoint, $"batch reply answers id {id} twice");
            }

            results[position] = ReadOne(item, requests[position].Method, id, endpoint);
        }

        var missing = Array.FindIndex(results, r => r is null);
        if (missing >= 0)
        {
            throw new RpcProtocolException(label, endpoint, $"batch reply lacks an answer to {requests[missing].Method} (id {ids[missing]})");
        }

        return results!;
    }

    private static JsonRpcResult ReadOne(JsonElement reply, string method, long? expectedId, string endpoint)
    {
        if (reply.ValueKind != JsonValueKind.Object)
        {
            throw new RpcProtocolException(method, endpoint, $"reply is a JSON {reply.ValueKind}, not an object");
        }

        if (!reply.TryGetProperty("jsonrpc", out var version) || version.ValueKind != JsonValueKind.String || version.GetString() != "2.0")
        {
            throw new RpcProtocolException(method, endpoint, "reply lacks \"jsonrpc\":\"2.0\"");
        }

        if (expectedId is { } expected && (!reply.TryGetProperty("id", out var id) || id.ValueKind != JsonValueKind.Number
            || !id.TryGetInt64(out var actual) || actual != expected))
        {
            throw new RpcProtocolException(method, endpoint, $"reply id does not match request id {expected.ToString(CultureInfo.InvariantCulture)}");
        }

        if (reply.TryGetProperty("error", out var error) && error.ValueKind != JsonValueKind.Null)
        {
            if (error.ValueKind != JsonValueKind.Object || !error.TryGetProperty("code", out var code) || code.ValueKind != JsonValueKind.Number
                || !code.TryGetInt64(out var codeValue))
            {
                throw new RpcProtocolException(method, endpoint, "error object lacks an integer code");
            }

            var message = error.TryGetProperty("message", out var m) && m.ValueKind == JsonValueKind.String ? m.GetString()! : "(no message)";
            JsonElement? data = error.TryGetProperty("data", out var d) ? d.Clone() : null;
            return new JsonRpcResult(default, new JsonRpcErrorException(method, endpoint, codeValue, message, data));
        }

        if (!reply.TryGetProperty("result", out var result))
        {
            throw new RpcProtocolException(method, endpoint, "reply has neither result nor error");
        }

        return new JsonRpcResult(result.Clone(), null);
    }
}
