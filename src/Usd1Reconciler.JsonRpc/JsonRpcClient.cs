using System.Net.Http.Headers;
using System.Text.Json;
using Microsoft.Extensions.Logging;

namespace Usd1Reconciler.JsonRpc;

/// <summary>
/// JSON-RPC 2.0 over HTTP POST for one network. A call goes to the endpoint that last worked; on a transport or
/// protocol failure it fails over to the next configured one, and only when all have failed does the caller see an
/// <see cref="RpcUnavailableException"/>. A JSON-RPC error object is the node's considered answer and is returned to
/// the caller as <see cref="JsonRpcErrorException"/> without failover.
/// </summary>
public sealed class JsonRpcClient
{
    private static readonly MediaTypeHeaderValue JsonMediaType = new("application/json") { CharSet = "utf-8" };

    private readonly HttpClient _http;
    private readonly List<RpcEndpoint> _endpoints;
    private readonly string _network;
    private readonly TimeSpan _timeout;
    private readonly ILogger _logger;
    private long _nextId;
    private int _preferred;

    public JsonRpcClient(HttpClient http, string network, IReadOnlyList<Uri> endpoints, TimeSpan timeout, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        if (endpoints.Count == 0)
        {
            throw new ArgumentException($"network '{network}' has no RPC endpoint", nameof(endpoints));
        }

        _http = http;
        _network = network;
        _endpoints = endpoints.Select(u => new RpcEndpoint(u)).ToList();
        _timeout = timeout;
        _logger = logger;
    }

    public IReadOnlyList<RpcEndpoint> Endpoints => _endpoints;

    /// <summary>The endpoint calls go to first: the one that answered last.</summary>
    public RpcEndpoint PreferredEndpoint => _endpoints[Volatile.Read(ref _preferred)];

    /// <summary>Calls one method and returns its <c>result</c> (which may be JSON null).</summary>
    public async Task<JsonElement> CallAsync(string method, object?[] parameters, CancellationToken cancellationToken)
    {
        var results = await SendWithFailoverAsync([new JsonRpcRequest(method, parameters)], cancellationToken);
        return results[0].GetResultOrThrow();
    }

    /// <summary>
    /// Calls one method on one named endpoint, without failover: for checks that must hold for every endpoint (chain id,
    /// genesis) rather than for whichever answers.
    /// </summary>
    public async Task<JsonElement> CallEndpointAsync(RpcEndpoint endpoint, string method, object?[] parameters, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        var results = await SendAsync(endpoint, [new JsonRpcRequest(method, parameters)], cancellationToken);
        return results[0].GetResultOrThrow();
    }

    /// <summary>
    /// Sends the requests as one JSON-RPC batch and returns their outcomes in request order. A failed item does not
    /// fail the batch; a failed transport does.
    /// </summary>
    public Task<IReadOnlyList<JsonRpcResult>> BatchAsync(IReadOnlyList<JsonRpcRequest> requests, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(requests);
        return requests.Count == 0
            ? Task.FromResult<IReadOnlyList<JsonRpcResult>>([])
            : SendWithFailoverAsync(requests, cancellationToken);
    }

    private async Task<IReadOnlyList<JsonRpcResult>> SendWithFailoverAsync(IReadOnlyList<JsonRpcRequest> requests, CancellationToken cancellationToken)
    {
        var failures = new List<RpcException>();
        var start = Volatile.Read(ref _preferred);
        for (var attempt = 0; attempt < _endpoints.Count; attempt++)
        {
            var index = (start + attempt) % _endpoints.Count;
            var endpoint = _endpoints[index];
            try
            {
                var results = await SendAsync(endpoint, requests, cancellationToken);
                Volatile.Write(ref _preferred, index);
                return results;
            }
            catch (Exception ex) when (ex is RpcTransportException or RpcProtocolException)
            {
                var rpc = (RpcException)ex;
                failures.Add(rpc);
                _logger.LogWarning("network {Network}: {Method} failed at {Endpoint}: {Reason}", _network, rpc.Method, endpoint.Label, ex.Message);
            }
        }

        throw new RpcUnavailableException(_network, DescribeMethods(requests), failures);
    }

    private async Task<IReadOnlyList<JsonRpcResult>> SendAsync(RpcEndpoint endpoint, IReadOnlyList<JsonRpcRequest> requests, CancellationToken cancellationToken)
    {
        var methodLabel = DescribeMethods(requests);
        var ids = new long[requests.Count];
        var payload = BuildPayload(requests, ids);

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_timeout);
        using var content = new ByteArrayContent(payload);
        content.Headers.ContentType = JsonMediaType;
        HttpResponseMessage response;
        try
        {
            response = await _http.PostAsync(endpoint.Url, content, timeout.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new RpcTransportException(methodLabel, endpoint.Label, $"no answer within {_timeout.TotalSeconds:0.###} s");
        }
        catch (HttpRequestException ex)
        {
            throw new RpcTransportException(methodLabel, endpoint.Label, ex.Message, inner: ex);
        }

        using (response)
        {
            if (!response.IsSuccessStatusCode)
            {
                var retryAfter = response.Headers.RetryAfter?.Delta;
                throw new RpcTransportException(
                    methodLabel, endpoint.Label, $"HTTP {(int)response.StatusCode} {response.ReasonPhrase}", (int)response.StatusCode, retryAfter);
            }

            JsonDocument document;
            try
            {
                await using var stream = await response.Content.ReadAsStreamAsync(timeout.Token);
                document = await JsonDocument.ParseAsync(stream, default, timeout.Token);
            }
            catch (JsonException ex)
            {
                throw new RpcProtocolException(methodLabel, endpoint.Label, $"reply is not valid JSON ({ex.Message})", ex);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                throw new RpcTransportException(methodLabel, endpoint.Label, $"reply not complete within {_timeout.TotalSeconds:0.###} s");
            }
            catch (HttpRequestException ex)
            {
                throw new RpcTransportException(methodLabel, endpoint.Label, $"reply cut off ({ex.Message})", inner: ex);
            }
            catch (IOException ex)
            {
                throw new RpcTransportException(methodLabel, endpoint.Label, $"reply cut off ({ex.Message})", inner: ex);
            }

            using (document)
            {
                return JsonRpcReplyReader.Read(document.RootElement, requests, ids, endpoint.Label);
            }
        }
    }

    private byte[] BuildPayload(IReadOnlyList<JsonRpcRequest> requests, long[] ids)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            var single = requests.Count == 1;
            if (!single)
            {
                writer.WriteStartArray();
            }

            for (var i = 0; i < requests.Count; i++)
            {
                ids[i] = Interlocked.Increment(ref _nextId);
                writer.WriteStartObject();
                writer.WriteString("jsonrpc", "2.0");
                writer.WriteNumber("id", ids[i]);
                writer.WriteString("method", requests[i].Method);
                writer.WritePropertyName("params");
                JsonSerializer.Serialize(writer, requests[i].Params);
                writer.WriteEndObject();
            }

            if (!single)
            {
                writer.WriteEndArray();
            }
        }

        return buffer.ToArray();
    }

    private static string DescribeMethods(IReadOnlyList<JsonRpcRequest> requests) =>
        requests.Count == 1 ? requests[0].Method : $"batch of {requests.Count} ({string.Join(",", requests.Select(r => r.Method).Distinct())})";
}
