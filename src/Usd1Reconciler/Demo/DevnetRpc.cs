using System.Net.Http.Json;
using System.Text.Json;

namespace Usd1Reconciler.Demo;

/// <summary>
/// A bare JSON-RPC caller for the demo's own devnets. Deliberately not the daemon's <c>JsonRpcClient</c>: the demo
/// plays the issuer and its users (it sends transactions), and that must not borrow — or be mistaken for — the
/// daemon's read-only transport with its failover and trust rules.
/// </summary>
internal sealed class DevnetRpc(HttpClient http, Uri url)
{
    public Uri Url { get; } = url;

    public async Task<JsonElement> CallAsync(string method, object?[] parameters, CancellationToken cancellationToken)
    {
        using var content = JsonContent.Create(new Dictionary<string, object?> { ["jsonrpc"] = "2.0", ["id"] = 1, ["method"] = method, ["params"] = parameters });
        using var response = await http.PostAsync(Url, content, cancellationToken);
        response.EnsureSuccessStatusCode();
        using var reply = JsonDocument.Parse(await response.Content.ReadAsStreamAsync(cancellationToken));
        if (reply.RootElement.TryGetProperty("error", out var error) && error.ValueKind != JsonValueKind.Null)
        {
            throw new InvalidOperationException($"{method} on {Url}: {error.GetRawText()}");
        }

        return reply.RootElement.GetProperty("result").Clone();
    }
}
