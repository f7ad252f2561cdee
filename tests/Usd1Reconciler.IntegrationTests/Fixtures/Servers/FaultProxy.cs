using System.Collections.Concurrent;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Usd1Reconciler.IntegrationTests.Fixtures;

/// <summary>
/// A JSON-RPC proxy on a loopback port (Kestrel) in front of a real node, injecting one fault kind per request as
/// <see cref="Decide"/> chooses. Its URL carries a fake API key in the path and query, so tests can prove that no
/// secret reaches logs or messages. Counts what it did so tests can say which faults actually fired.
/// </summary>
internal sealed class FaultProxy : IAsyncDisposable
{
    public const string SecretPath = "/v3/SECRET-KEY-0123456789?apikey=SECRET-QUERY";

    private readonly WebApplication _app;
    private readonly HttpClient _forward = new() { Timeout = TimeSpan.FromSeconds(60) };
    private readonly ConcurrentDictionary<FaultKind, int> _fired = new();

    private FaultProxy(WebApplication app, Uri upstream)
    {
        _app = app;
        Upstream = upstream;
    }

    public Uri Upstream { get; set; }

    /// <summary>The second node used by <see cref="FaultKind.OtherFork"/>.</summary>
    public Uri? Fork { get; set; }

    /// <summary>URL to configure, with a secret in path and query.</summary>
    public Uri Url { get; private set; } = null!;

    /// <summary>Chooses the fault for a request, given the JSON-RPC method names it carries. Default: none.</summary>
    public Func<IReadOnlyList<string>, FaultKind> Decide { get; set; } = _ => FaultKind.None;

    public TimeSpan Latency { get; set; } = TimeSpan.FromSeconds(3);

    public long LagBlocks { get; set; } = 100;

    public int LogRangeCap { get; set; } = 10;

    public int LogResultCap { get; set; } = 200;

    public int ResponseSizeCap { get; set; } = 64 * 1024;

    /// <summary>Raw JSON that replaces the result of the methods listed in <see cref="HostileMethods"/>.</summary>
    public string HostileResult { get; set; } = "null";

    public IReadOnlySet<string> HostileMethods { get; set; } = new HashSet<string>();

    /// <summary>When set, builds the hostile result from the request's params and the node's real result (e.g. a real log with one field spoiled); wins over <see cref="HostileResult"/>.</summary>
    public Func<JsonArray?, JsonNode?, string>? HostileFactory { get; set; }

    public int Requests;

    /// <summary>Sets one fault for every request (or, with <paramref name="methods"/>, for requests carrying one of those methods).</summary>
    public void Always(FaultKind kind, params string[] methods) =>
        Decide = m => methods.Length == 0 || m.Any(methods.Contains) ? kind : FaultKind.None;

    public int Fired(FaultKind kind) => _fired.TryGetValue(kind, out var n) ? n : 0;

    public IReadOnlyDictionary<FaultKind, int> FiredCounts => new Dictionary<FaultKind, int>(_fired);

    public static async Task<FaultProxy> StartAsync(Uri upstream)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        var proxy = new FaultProxy(app, upstream);
        app.Run(proxy.HandleAsync);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        proxy.Url = new Uri(new Uri(address), SecretPath);
        return proxy;
    }

    private async Task HandleAsync(HttpContext context)
    {
        Interlocked.Increment(ref Requests);
        using var reader = new StreamReader(context.Request.Body, Encoding.UTF8);
        var body = await reader.ReadToEndAsync(context.RequestAborted);
        var calls = ParseCalls(body);
        var fault = Decide(calls.Select(c => c.Method).ToList());
        if (fault != FaultKind.None)
        {
            _fired.AddOrUpdate(fault, 1, (_, n) => n + 1);
        }

        switch (fault)
        {
            case FaultKind.ConnectionReset:
                context.Abort();
                return;
            case FaultKind.ServerError:
                context.Response.StatusCode = 503;
                await context.Response.WriteAsync("upstream unavailable", context.RequestAborted);
                return;
            case FaultKind.TooManyRequests:
                context.Response.StatusCode = 429;
                context.Response.Headers.RetryAfter = "1";
                await context.Response.WriteAsync("slow down", context.RequestAborted);
                return;
            case FaultKind.MalformedJson:
                await WriteJsonAsync(context, "{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":0x<html>Bad Gateway</html>");
                return;
            case FaultKind.Latency:
                try
                {
                    await Task.Delay(Latency, TimeProvider.System, context.RequestAborted);
                }
                catch (OperationCanceledException)
                {
                    return;
                }

                break;
            case FaultKind.LogRangeCap when calls.FirstOrDefault(c => c.Method == "eth_getLogs") is { } getLogs && RangeOf(getLogs) > LogRangeCap:
                await WriteJsonAsync(context, Error(getLogs.Id, -32005, $"query exceeds max block range {LogRangeCap}"));
                return;
        }

        var upstream = fault == FaultKind.OtherFork && Fork is not null ? Fork : Upstream;
        string reply;
        try
        {
            using var content = new StringContent(body, Encoding.UTF8, "application/json");
            using var response = await _forward.PostAsync(upstream, content, context.RequestAborted);
            reply = await response.Content.ReadAsStringAsync(context.RequestAborted);
            context.Response.StatusCode = (int)response.StatusCode;
        }
        catch (HttpRequestException)
        {
            context.Response.StatusCode = 502;
            await context.Response.WriteAsync("upstream down", context.RequestAborted);
            return;
        }

        reply = fault switch
        {
            FaultKind.WrongChainId => Rewrite(reply, calls, "eth_chainId", _ => JsonValue.Create("0x1")),
            FaultKind.WrongGenesis => Rewrite(reply, calls, "getGenesisHash", _ => JsonValue.Create("EtWTRABZaYq6iMfeYKouRu166VU2xqa1wcaWoxPkrZBG")),
            FaultKind.HostileResult => RewriteHostile(reply, calls),
            FaultKind.LogResultCap => CapResults(reply, calls),
            _ => reply,
        };

        if (fault == FaultKind.LaggingHead)
        {
            reply = await LagReplyAsync(reply, calls, upstream, context.RequestAborted);
        }

        if (fault == FaultKind.ResponseSizeCap && Encoding.UTF8.GetByteCount(reply) > ResponseSizeCap)
        {
            context.Response.StatusCode = 413;
            await context.Response.WriteAsync($"response exceeds {ResponseSizeCap} bytes", context.RequestAborted);
            return;
        }

        var bytes = Encoding.UTF8.GetBytes(reply);
        context.Response.ContentType = "application/json";
        if (fault == FaultKind.TruncatedBody)
        {
            context.Response.ContentLength = bytes.Length;
            await context.Response.Body.WriteAsync(bytes.AsMemory(0, bytes.Length / 2), context.RequestAborted);
            await context.Response.Body.FlushAsync(context.RequestAborted);
            context.Abort();
            return;
        }

        await context.Response.Body.WriteAsync(bytes, context.RequestAborted);
    }

    private static async Task WriteJsonAsync(HttpContext context, string json)
    {
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(json, context.RequestAborted);
    }

    private static string Error(JsonNode? id, int code, string message) =>
        new JsonObject { ["jsonrpc"] = "2.0", ["id"] = id?.DeepClone(), ["error"] = new JsonObject { ["code"] = code, ["message"] = message } }.ToJsonString();

    private static long RangeOf(Call getLogs)
    {
        var filter = getLogs.Params?[0];
        var from = Convert.ToInt64(filter?["fromBlock"]?.GetValue<string>()[2..], 16);
        var to = Convert.ToInt64(filter?["toBlock"]?.GetValue<string>()[2..], 16);
        return to - from + 1;
    }

    /// <summary>A syncing node: head lowered by <see cref="LagBlocks"/>, and blocks above that head answered as absent (null).</summary>
    private async Task<string> LagReplyAsync(string reply, List<Call> calls, Uri upstream, CancellationToken cancellationToken)
    {
        long? realHead = null;
        if (calls.Any(c => c.Method == "eth_getBlockByNumber"))
        {
            using var content = new StringContent("""{"jsonrpc":"2.0","id":1,"method":"eth_blockNumber","params":[]}""", Encoding.UTF8, "application/json");
            using var response = await _forward.PostAsync(upstream, content, cancellationToken);
            var head = JsonNode.Parse(await response.Content.ReadAsStringAsync(cancellationToken))?["result"]?.GetValue<string>();
            realHead = head is null ? null : Convert.ToInt64(head[2..], 16);
        }

        var lagged = Rewrite(reply, calls, "eth_blockNumber", r => JsonValue.Create(Hex(Math.Max(0, Convert.ToInt64(r!.GetValue<string>()[2..], 16) - LagBlocks))));
        lagged = Rewrite(lagged, calls, "getSlot", r => JsonValue.Create(Math.Max(0, r!.GetValue<long>() - LagBlocks)));
        if (realHead is { } real)
        {
            var beyond = calls.Where(c => c.Method == "eth_getBlockByNumber" && c.Params?[0]?.GetValue<string>() is { } tag && tag.StartsWith("0x", StringComparison.Ordinal)
                && Convert.ToInt64(tag[2..], 16) > real - LagBlocks).ToList();
            lagged = RewriteMany(lagged, beyond, new HashSet<string> { "eth_getBlockByNumber" }, _ => null);
        }

        return lagged;
    }

    private static string Hex(long value) => "0x" + value.ToString("x", System.Globalization.CultureInfo.InvariantCulture);

    private string CapResults(string reply, List<Call> calls)
    {
        var node = JsonNode.Parse(reply);
        if (node is JsonObject single && calls.Count == 1 && calls[0].Method == "eth_getLogs" && single["result"] is JsonArray logs && logs.Count > LogResultCap)
        {
            return Error(calls[0].Id, -32005, $"query returned more than {LogResultCap} results");
        }

        return reply;
    }

    private string RewriteHostile(string reply, List<Call> calls)
    {
        foreach (var call in calls.Where(c => HostileMethods.Contains(c.Method)))
        {
            reply = RewriteMany(reply, [call], HostileMethods, real => JsonNode.Parse(HostileFactory is { } factory ? factory(call.Params, real) : HostileResult));
        }

        return reply;
    }

    private static string Rewrite(string reply, List<Call> calls, string method, Func<JsonNode?, JsonNode?> result) =>
        RewriteMany(reply, calls, new HashSet<string> { method }, result);

    private static string RewriteMany(string reply, List<Call> calls, IReadOnlySet<string> methods, Func<JsonNode?, JsonNode?> result)
    {
        var ids = calls.Where(c => methods.Contains(c.Method)).Select(c => c.Id?.ToJsonString()).ToHashSet(StringComparer.Ordinal);
        if (ids.Count == 0)
        {
            return reply;
        }

        JsonNode? node;
        try
        {
            node = JsonNode.Parse(reply);
        }
        catch (JsonException)
        {
            return reply;
        }

        IEnumerable<JsonNode?> items = node is JsonArray array ? array : [node];
        foreach (var item in items.OfType<JsonObject>())
        {
            if (ids.Contains(item["id"]?.ToJsonString()) && item.ContainsKey("result"))
            {
                item["result"] = result(item["result"]);
            }
        }

        return node!.ToJsonString();
    }

    private static List<Call> ParseCalls(string body)
    {
        try
        {
            var node = JsonNode.Parse(body);
            IEnumerable<JsonNode?> items = node is JsonArray array ? array : [node];
            return items.OfType<JsonObject>().Select(o => new Call(o["method"]?.GetValue<string>() ?? "", o["id"], o["params"] as JsonArray)).ToList();
        }
        catch (JsonException)
        {
            return [];
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        _forward.Dispose();
    }

    private sealed record Call(string Method, JsonNode? Id, JsonArray? Params);
}
