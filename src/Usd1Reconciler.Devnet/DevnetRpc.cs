using System.Net.Http.Json;
using System.Text.Json;

namespace Usd1Reconciler.Devnet;

/// <summary>
/// A bare JSON-RPC caller for the devnets. Deliberately not the daemon's <c>JsonRpcClient</c>: whoever drives a devnet
/// plays the issuer and its users (it sends transactions), and that must not borrow — or be mistaken for — the
/// daemon's read-only transport with its failover and trust rules.
/// </summary>
public sealed class DevnetRpc(HttpClient http, Uri url)
{
    public Uri Url { get; } = url;

    /// <summary>The call's result; an RPC error becomes an <see cref="InvalidOperationException"/> naming the method and the URL.</summary>
    public async Task<JsonElement> CallAsync(string method, object?[] parameters, CancellationToken cancellationToken)
    {
        using var content = JsonContent.Create(new Dictionary<string, object?> { ["jsonrpc"] = "2.0", ["id"] = 1, ["method"] = method, ["params"] = parameters });
        using var response = await http.PostAsync(Url, content, cancellationToken);
        response.EnsureSuccessStatusCode();
        using var reply = await JsonDocument.ParseAsync(await response.Content.ReadAsStreamAsync(cancellationToken), cancellationToken: cancellationToken);
        if (reply.RootElement.TryGetProperty("error", out var error) && error.ValueKind != JsonValueKind.Null)
        {
            throw new InvalidOperationException($"{method} on {Url}: {error.GetRawText()}");
        }

        return reply.RootElement.GetProperty("result").Clone();
    }
}
