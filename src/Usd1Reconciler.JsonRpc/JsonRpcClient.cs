using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.Extensions.Logging;

namespace Usd1Reconciler.JsonRpc;

/// <summary>
/// JSON-RPC 2.0 over HTTP POST for one network, with per-endpoint health (see <see cref="RpcResilienceOptions"/>).
/// A call goes to the first usable endpoint in configured order; a transport or protocol failure — including a reply
/// the caller's reader rejects — rests that endpoint and fails over to the next, in rounds with backoff, and only when
/// no round succeeds does the caller see an <see cref="RpcUnavailableException"/>. A JSON-RPC error object is the
/// node's considered answer and is returned to the caller as <see cref="JsonRpcErrorException"/> without failover.
/// Endpoints marked untrusted (wrong chain, other fork, lagging head) are never used for calls.
/// </summary>
public sealed class JsonRpcClient : IEndpointHealthSource
{
    private static readonly MediaTypeHeaderValue JsonMediaType = new("application/json") { CharSet = "utf-8" };

    // Rate-limited rounds one call may wait out on top of MaxRounds: a provider that keeps refusing fails the call
    // after this many Retry-After rests instead of holding it for ever.
    private const int MaxRateLimitedRounds = 10;

    // The rest after a 429 without Retry-After: providers count per second.
    private static readonly TimeSpan RateLimitRestWithoutRetryAfter = TimeSpan.FromSeconds(1);

    private readonly HttpClient _http;
    private readonly List<RpcEndpoint> _endpoints;
    private readonly List<EndpointTracker> _trackers;
    private readonly List<RequestBudget> _budgets;
    private readonly string _network;
    private readonly TimeSpan _timeout;
    private readonly ILogger _logger;
    private readonly RpcResilienceOptions _options;
    private readonly TimeProvider _time;
    private long _nextId;
    private int _lastAnswered;

    /// <param name="jitter">Source of uniform numbers in [0, 1) for backoff jitter; injected so tests are repeatable. Default: a cryptographic generator.</param>
    public JsonRpcClient(
        HttpClient http,
        string network,
        IReadOnlyList<Uri> endpoints,
        TimeSpan timeout,
        ILogger logger,
        RpcResilienceOptions? resilience = null,
        TimeProvider? time = null,
        Func<double>? jitter = null)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        if (endpoints.Count == 0)
        {
            throw new ArgumentException($"network '{network}' has no RPC endpoint", nameof(endpoints));
        }

        _options = resilience ?? RpcResilienceOptions.Default;
        _options.Validate();
        _http = http;
        _network = network;
        _endpoints = endpoints.Select(u => new RpcEndpoint(u)).ToList();
        var random = jitter ?? (static () => RandomNumberGenerator.GetInt32(1 << 30) / (double)(1 << 30));
        _trackers = _endpoints.Select(e => new EndpointTracker(network, e, _options, random)).ToList();
        _timeout = timeout;
        _logger = logger;
        _time = time ?? TimeProvider.System;
        _budgets = _endpoints.Select(_ => new RequestBudget(_options.MaxRequestsPerSecond, _time)).ToList();
    }

    /// <summary>Largest JSON-RPC batch worth building: the per-endpoint request budget when one is configured, else <paramref name="preferred"/>.</summary>
    public int MaxBatchSize(int preferred) => _options.MaxRequestsPerSecond is { } max ? Math.Min(preferred, max) : preferred;

    /// <summary>Requests that waited for an endpoint's request budget or for its rate-limit rest before they were sent, over all endpoints.</summary>
    public long ThrottledRequests => _budgets.Sum(b => b.Throttled);

    public string Network => _network;

    public IReadOnlyList<RpcEndpoint> Endpoints => _endpoints;

    /// <summary>The endpoint that answered last (the first configured one before any call).</summary>
    public RpcEndpoint PreferredEndpoint => _endpoints[Volatile.Read(ref _lastAnswered)];

    /// <summary>Whether any endpoint is trusted and not resting right now.</summary>
    public bool HasUsableEndpoint
    {
        get
        {
            var now = _time.GetUtcNow();
            return _trackers.Any(t => t.IsUsable(now));
        }
    }

    public IReadOnlyList<EndpointHealth> GetEndpointHealth()
    {
        var now = _time.GetUtcNow();
        return _trackers.Select(t => t.Snapshot(now)).ToList();
    }

    /// <summary>Whether the endpoint rests after failures (backoff, open circuit, Retry-After): probes leave it alone until then.</summary>
    public bool IsResting(RpcEndpoint endpoint) => Tracker(endpoint).IsResting(_time.GetUtcNow());

    /// <summary>Keeps <paramref name="endpoint"/> out of every call until <see cref="MarkTrusted"/>; logs the first time.</summary>
    public void MarkUntrusted(RpcEndpoint endpoint, string reason)
    {
        var tracker = Tracker(endpoint);
        if (tracker.IsTrusted)
        {
            _logger.LogWarning("network {Network}: endpoint {Endpoint} is no longer trusted: {Reason}", _network, endpoint.Label, reason);
        }

        tracker.MarkUntrusted(reason);
    }

    public void MarkTrusted(RpcEndpoint endpoint)
    {
        if (Tracker(endpoint).MarkTrusted())
        {
            _logger.LogInformation("network {Network}: endpoint {Endpoint} is trusted again", _network, endpoint.Label);
        }
    }

    /// <summary>Calls one method and returns its <c>result</c> (which may be JSON null).</summary>
    public Task<JsonElement> CallAsync(string method, object?[] parameters, CancellationToken cancellationToken) =>
        CallAsync(method, parameters, static r => r, cancellationToken);

    /// <summary>
    /// Calls one method and reads its result with <paramref name="read"/> at the endpoint that answered: a reader that
    /// throws <see cref="FormatException"/> or <see cref="RpcProtocolException"/> marks that endpoint's reply as
    /// malformed, which rests it and fails over like any other protocol failure.
    /// </summary>
    public Task<T> CallAsync<T>(string method, object?[] parameters, Func<JsonElement, T> read, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(read);
        return SendWithFailoverAsync([new JsonRpcRequest(method, parameters)], results => read(results[0].GetResultOrThrow()), cancellationToken);
    }

    /// <summary>
    /// Calls one method whose result is an array and reads it item by item straight off the response stream (see
    /// <see cref="JsonRpcArrayStreamReader{T}"/>): no document of the whole reply is built, so memory is bounded by the
    /// items kept. More than <paramref name="maxItems"/> items stop the read with <see cref="ReplyTooLargeException"/>
    /// (about the request, so no failover); a malformed item fails the endpoint over like any malformed reply.
    /// </summary>
    /// <param name="describeItems">What the items are, for the message when the result is not an array ("logs").</param>
    public Task<IReadOnlyList<T>> CallArrayAsync<T>(
        string method, object?[] parameters, string describeItems, Func<JsonElement, T> readItem, int maxItems, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(readItem);
        return CallArrayAsync(
            method,
            parameters,
            describeItems,
            (ref Utf8JsonReader item) =>
            {
                using var document = JsonDocument.ParseValue(ref item);
                return readItem(document.RootElement);
            },
            maxItems,
            cancellationToken);
    }

    /// <summary>
    /// As <see cref="CallArrayAsync{T}(string, object?[], string, Func{JsonElement, T}, int, CancellationToken)"/>, with
    /// an item reader that walks each item's tokens itself instead of receiving a parsed element: for replies of
    /// millions of items (eth_getLogs in a backfill), where a document per item is most of the cost of reading.
    /// </summary>
    public Task<IReadOnlyList<T>> CallArrayAsync<T>(
        string method, object?[] parameters, string describeItems, JsonRpcItemReader<T> readItem, int maxItems, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(readItem);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxItems);
        var request = new JsonRpcRequest(method, parameters);
        return FailoverAsync(method, (endpoint, token) => SendAsync(
            endpoint,
            [request],
            (ids, stream, t) => new JsonRpcArrayStreamReader<T>(method, ids[0], endpoint.Label, describeItems, readItem, maxItems).ReadAsync(stream, t),
            token), cancellationToken);
    }

    /// <summary>
    /// Calls one method on one named endpoint, without failover and even if it is untrusted or resting: for checks
    /// that must hold for every endpoint (chain id, genesis, head) rather than for whichever answers.
    /// </summary>
    public async Task<JsonElement> CallEndpointAsync(RpcEndpoint endpoint, string method, object?[] parameters, CancellationToken cancellationToken)
    {
        var results = await BatchEndpointAsync(endpoint, [new JsonRpcRequest(method, parameters)], cancellationToken);
        return results[0].GetResultOrThrow();
    }

    /// <summary>
    /// A batch to one named endpoint, without failover; its outcome counts toward the endpoint's health, and a failure
    /// is retried on the same endpoint after its rest, within the same round and wait limits as any call (one lost
    /// packet must not fail a whole pass's endpoint check).
    /// </summary>
    public async Task<IReadOnlyList<JsonRpcResult>> BatchEndpointAsync(RpcEndpoint endpoint, IReadOnlyList<JsonRpcRequest> requests, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        ArgumentNullException.ThrowIfNull(requests);
        var tracker = Tracker(endpoint);
        for (var round = 1; ; round++)
        {
            try
            {
                var results = await SendAsync(endpoint, requests, cancellationToken);
                OnSuccess(tracker);
                return results;
            }
            catch (RpcException ex) when (ex is RpcTransportException or RpcProtocolException)
            {
                OnFailure(tracker, ex);
                var wait = tracker.UsableAt() is { } at ? at - _time.GetUtcNow() : TimeSpan.MaxValue;
                if (round >= _options.MaxRounds || wait > _options.MaxWait)
                {
                    throw;
                }

                if (wait > TimeSpan.Zero)
                {
                    await Task.Delay(wait, _time, cancellationToken);
                }
            }
        }
    }

    /// <summary>
    /// Sends the requests as one JSON-RPC batch and returns their outcomes in request order. A failed item does not
    /// fail the batch; a failed transport does.
    /// </summary>
    public Task<IReadOnlyList<JsonRpcResult>> BatchAsync(IReadOnlyList<JsonRpcRequest> requests, CancellationToken cancellationToken) =>
        BatchAsync(requests, static r => r, cancellationToken);

    /// <summary>A batch whose outcomes are read by <paramref name="read"/> at the endpoint that answered (see <see cref="CallAsync{T}"/>).</summary>
    public Task<T> BatchAsync<T>(IReadOnlyList<JsonRpcRequest> requests, Func<IReadOnlyList<JsonRpcResult>, T> read, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(requests);
        ArgumentNullException.ThrowIfNull(read);
        return requests.Count == 0
            ? Task.FromResult(read([]))
            : SendWithFailoverAsync(requests, read, cancellationToken);
    }

    private Task<T> SendWithFailoverAsync<T>(IReadOnlyList<JsonRpcRequest> requests, Func<IReadOnlyList<JsonRpcResult>, T> read, CancellationToken cancellationToken) =>
        FailoverAsync(DescribeMethods(requests), async (endpoint, token) => read(await SendAsync(endpoint, requests, token)), cancellationToken);

    /// <summary>Runs <paramref name="attempt"/> (send and read) on the usable endpoints in order, in rounds, as the class summary describes.</summary>
    private async Task<T> FailoverAsync<T>(string methodLabel, Func<RpcEndpoint, CancellationToken, Task<T>> attempt, CancellationToken cancellationToken)
    {
        var failures = new List<RpcException>();
        var rounds = 0;
        var rateLimitedRounds = 0;
        while (true)
        {
            var now = _time.GetUtcNow();
            var usable = _trackers.Where(t => t.IsUsable(now)).ToList();
            var roundFailures = failures.Count;
            foreach (var tracker in usable)
            {
                var endpoint = tracker.Endpoint;
                try
                {
                    T value;
                    try
                    {
                        value = await attempt(endpoint, cancellationToken);
                    }
                    catch (FormatException ex)
                    {
                        throw new RpcProtocolException(methodLabel, endpoint.Label, ex.Message, ex);
                    }
                    catch (RpcProtocolException ex) when (ex.Endpoint != endpoint.Label)
                    {
                        // Readers label errors with no endpoint in mind; this is the one that sent the reply.
                        throw new RpcProtocolException(ex.Method, endpoint.Label, ex.Detail, ex);
                    }

                    OnSuccess(tracker);
                    Volatile.Write(ref _lastAnswered, _endpoints.IndexOf(endpoint));
                    return value;
                }
                catch (JsonRpcErrorException)
                {
                    // The node answered and refused: it is alive, the request is the problem.
                    OnSuccess(tracker);
                    throw;
                }
                catch (ReplyTooLargeException)
                {
                    // The endpoint answered; the caller asked for more than it will hold and must ask for less.
                    OnSuccess(tracker);
                    throw;
                }
                catch (RpcTransportException ex) when (ex.HttpStatus == 413)
                {
                    // Payload too large is about this request, not the endpoint: the caller must ask for less.
                    OnSuccess(tracker);
                    failures.Add(ex);
                    throw Unavailable(methodLabel, failures);
                }
                catch (RpcException ex) when (ex is RpcTransportException or RpcProtocolException)
                {
                    failures.Add(ex);
                    OnFailure(tracker, ex);
                }
            }

            // A round in which every endpoint asked only refused for rate is the provider's flow control, not a fault:
            // it is waited out (Retry-After, within MaxWait) without using up the rounds, up to MaxRateLimitedRounds
            // (except with a single round, which is asked for to see the first failure).
            var onlyRateLimited = usable.Count > 0 && _options.MaxRounds > 1 && failures.Skip(roundFailures).All(IsRateLimited);
            if (onlyRateLimited && ++rateLimitedRounds <= MaxRateLimitedRounds)
            {
                // Not counted.
            }
            else if (usable.Count > 0 && ++rounds >= _options.MaxRounds)
            {
                throw Unavailable(methodLabel, failures);
            }

            // Wait for the endpoint whose rest ends first, unless that is too far off: then the network is down for now.
            now = _time.GetUtcNow();
            var next = _trackers.Select(t => t.UsableAt()).Where(t => t is not null).Min();
            if (next is null || next.Value - now > _options.MaxWait)
            {
                throw Unavailable(methodLabel, failures);
            }

            if (next.Value > now)
            {
                await Task.Delay(next.Value - now, _time, cancellationToken);
            }
        }
    }

    /// <summary>
    /// The exception for a call (or an endpoint check) that no endpoint answered: the attempts it made, plus the state
    /// of every endpoint that is not healthy — its last real failure and when it is asked again — so the message names
    /// a cause even when every circuit was open and nothing was asked.
    /// </summary>
    public RpcUnavailableException Unavailable(string method, IReadOnlyList<RpcException> failures)
    {
        var now = _time.GetUtcNow();
        return new RpcUnavailableException(_network, method, failures, _trackers.Select(t => t.DescribeState(now)).OfType<string>().ToList());
    }

    private void OnSuccess(EndpointTracker tracker)
    {
        tracker.OnRequest();
        if (tracker.OnSuccess(_time.GetUtcNow()))
        {
            _logger.LogInformation("network {Network}: endpoint {Endpoint} answers again", _network, tracker.Endpoint.Label);
        }
    }

    private static bool IsRateLimited(RpcException ex) =>
        ex is RpcTransportException { HttpStatus: 429 } or RpcTransportException { HttpStatus: 503, RetryAfter: not null };

    private void OnFailure(EndpointTracker tracker, RpcException ex)
    {
        tracker.OnRequest();
        var transport = ex as RpcTransportException;
        var rateLimited = IsRateLimited(ex);
        var opened = tracker.OnFailure(_time.GetUtcNow(), ex.Detail, transport?.RetryAfter, rateLimited);
        _logger.LogWarning("network {Network}: {Method} failed at {Endpoint}: {Reason}", _network, ex.Method, tracker.Endpoint.Label, ex.Detail);
        if (opened)
        {
            _logger.LogWarning(
                "network {Network}: endpoint {Endpoint} failed {Count} times in a row; circuit open for {Break}",
                _network, tracker.Endpoint.Label, _options.FailureThreshold, _options.BreakDuration);
        }
    }

    private EndpointTracker Tracker(RpcEndpoint endpoint)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        return _trackers.FirstOrDefault(t => t.Endpoint == endpoint)
            ?? throw new ArgumentException($"endpoint {endpoint.Label} is not one of network '{_network}'", nameof(endpoint));
    }

    private Task<IReadOnlyList<JsonRpcResult>> SendAsync(RpcEndpoint endpoint, IReadOnlyList<JsonRpcRequest> requests, CancellationToken cancellationToken) =>
        SendAsync(endpoint, requests, async (ids, stream, token) =>
        {
            using var document = await JsonDocument.ParseAsync(stream, default, token);
            return JsonRpcReplyReader.Read(document.RootElement, requests, ids, endpoint.Label);
        }, cancellationToken);

    /// <summary>Posts the requests and hands the reply body to <paramref name="readBody"/>, mapping transport and JSON failures to typed RPC errors.</summary>
    private async Task<TReply> SendAsync<TReply>(
        RpcEndpoint endpoint, IReadOnlyList<JsonRpcRequest> requests, Func<long[], Stream, CancellationToken, Task<TReply>> readBody, CancellationToken cancellationToken)
    {
        var methodLabel = DescribeMethods(requests);
        var ids = new long[requests.Count];
        var payload = BuildPayload(requests, ids);

        // The budget is waited for before the request timeout starts: waiting our turn is not the endpoint being slow.
        using var lease = await _budgets[_endpoints.IndexOf(endpoint)].AcquireAsync(requests.Count, cancellationToken);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_timeout);
        using var content = new ByteArrayContent(payload);
        content.Headers.ContentType = JsonMediaType;
        HttpResponseMessage response;
        try
        {
            // Headers only: the body is read (and, for arrays, parsed) as it arrives instead of being buffered whole.
            using var request = new HttpRequestMessage(HttpMethod.Post, endpoint.Url) { Content = content };
            response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
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
                var retryAfter = response.Headers.RetryAfter is { } header
                    ? header.Delta ?? (header.Date is { } date ? date - _time.GetUtcNow() : null)
                    : null;
                if ((int)response.StatusCode == 429 || ((int)response.StatusCode == 503 && retryAfter is not null))
                {
                    lease.RateLimited(_time.GetUtcNow() + (retryAfter is { } rest && rest > TimeSpan.Zero ? rest : RateLimitRestWithoutRetryAfter));
                }
                else
                {
                    lease.Answered();
                }

                throw new RpcTransportException(
                    methodLabel, endpoint.Label, $"HTTP {(int)response.StatusCode} {response.ReasonPhrase}", (int)response.StatusCode, retryAfter);
            }

            lease.Answered();
            try
            {
                await using var stream = await response.Content.ReadAsStreamAsync(timeout.Token);
                return await readBody(ids, stream, timeout.Token);
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
