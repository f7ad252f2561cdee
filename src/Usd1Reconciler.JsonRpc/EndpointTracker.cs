using System.Globalization;

namespace Usd1Reconciler.JsonRpc;

/// <summary>
/// The mutable health of one endpoint. All reads and writes take the lock: calls of several passes (and the metrics
/// reader) may touch the same endpoint at once.
/// </summary>
internal sealed class EndpointTracker(string network, RpcEndpoint endpoint, RpcResilienceOptions options, Func<double> jitter)
{
    private readonly Lock _lock = new();
    private int _consecutiveFailures;
    private string? _lastError;
    private DateTimeOffset? _lastSuccess;
    private DateTimeOffset? _lastFailure;
    private DateTimeOffset _restUntil = DateTimeOffset.MinValue;
    private bool _rateLimited;
    private string? _untrusted;
    private long _requests;
    private long _failures;

    public RpcEndpoint Endpoint { get; } = endpoint;

    public bool IsTrusted
    {
        get
        {
            lock (_lock)
            {
                return _untrusted is null;
            }
        }
    }

    /// <summary>Trusted and not resting.</summary>
    public bool IsUsable(DateTimeOffset now)
    {
        lock (_lock)
        {
            return _untrusted is null && now >= _restUntil;
        }
    }

    public bool IsResting(DateTimeOffset now)
    {
        lock (_lock)
        {
            return now < _restUntil;
        }
    }

    /// <summary>When a trusted endpoint may next be asked; null if untrusted.</summary>
    public DateTimeOffset? UsableAt()
    {
        lock (_lock)
        {
            return _untrusted is null ? _restUntil : null;
        }
    }

    public void OnRequest()
    {
        lock (_lock)
        {
            _requests++;
        }
    }

    /// <summary>Returns whether the endpoint had been failing (so the caller can log its recovery once).</summary>
    public bool OnSuccess(DateTimeOffset now)
    {
        lock (_lock)
        {
            var recovered = _consecutiveFailures > 0 || _rateLimited;
            _consecutiveFailures = 0;
            _rateLimited = false;
            _restUntil = DateTimeOffset.MinValue;
            _lastSuccess = now;
            return recovered;
        }
    }

    /// <summary>
    /// Records a failure and rests the endpoint. A Retry-After (429/503) rests it at least that long and, being the
    /// provider's flow control rather than a fault, does not move it toward an open circuit. Returns whether this
    /// failure opened the circuit.
    /// </summary>
    public bool OnFailure(DateTimeOffset now, string error, TimeSpan? retryAfter, bool rateLimited)
    {
        lock (_lock)
        {
            _failures++;
            _lastError = error;
            _lastFailure = now;
            if (rateLimited)
            {
                _rateLimited = true;
                var rest = retryAfter ?? Backoff(Math.Max(1, _consecutiveFailures + 1));
                _restUntil = Later(_restUntil, now + rest);
                return false;
            }

            _consecutiveFailures++;
            var opened = _consecutiveFailures >= options.FailureThreshold;
            var restFor = opened ? options.BreakDuration : Backoff(_consecutiveFailures);
            if (retryAfter is { } after && after > restFor)
            {
                restFor = after;
            }

            _restUntil = Later(_restUntil, now + restFor);
            return opened && _consecutiveFailures == options.FailureThreshold;
        }
    }

    public void MarkUntrusted(string reason)
    {
        lock (_lock)
        {
            _untrusted = reason;
        }
    }

    /// <summary>Returns whether the endpoint had been untrusted.</summary>
    public bool MarkTrusted()
    {
        lock (_lock)
        {
            var was = _untrusted is not null;
            _untrusted = null;
            return was;
        }
    }

    /// <summary>
    /// Where the endpoint stands for the message of a call that found no usable endpoint: its last real failure (what
    /// the node or the network answered, never a "not asked") and when it is asked again. Null while the endpoint is
    /// healthy, so a message lists only the endpoints that explain the outage.
    /// </summary>
    public string? DescribeState(DateTimeOffset now)
    {
        lock (_lock)
        {
            var last = _lastFailure is { } at ? $"last failure at {Time(at)}: {_lastError}" : "no failure seen";
            if (_untrusted is not null)
            {
                return $"{Endpoint.Label} not trusted: {_untrusted}";
            }

            if (now < _restUntil)
            {
                var state = _consecutiveFailures >= options.FailureThreshold ? "circuit open" : _rateLimited ? "rate limited" : "resting after a failure";
                // Absolute, rounded up to the second, and no countdown: the line stays the same for the whole rest, so
                // a log or a page that repeats it per failing pass can tell "same outage" from "changed".
                return $"{Endpoint.Label} {state} until {Time(CeilingToSecond(_restUntil))}, {last}";
            }

            return _consecutiveFailures > 0 || _rateLimited
                ? $"{Endpoint.Label} asked again at the next call after {_consecutiveFailures} failure(s) in a row, {last}"
                : null;
        }
    }

    public EndpointHealth Snapshot(DateTimeOffset now)
    {
        lock (_lock)
        {
            var state = _untrusted is not null ? EndpointState.Untrusted
                : _consecutiveFailures >= options.FailureThreshold && now < _restUntil ? EndpointState.Open
                : _rateLimited && now < _restUntil ? EndpointState.RateLimited
                : _consecutiveFailures > 0 ? EndpointState.Degraded
                : EndpointState.Healthy;
            return new EndpointHealth(
                network, Endpoint.Label, state, _consecutiveFailures, _lastError, _lastSuccess, _lastFailure,
                now < _restUntil ? _restUntil : null, _untrusted, _requests, _failures);
        }
    }

    /// <summary>Exponential backoff with "equal jitter": half the step fixed, half random, so endpoints shared by many clients are not hit in lockstep.</summary>
    private TimeSpan Backoff(int failures)
    {
        var exponent = Math.Min(failures - 1, 20);
        var step = Math.Min(options.MaxBackoff.TotalMilliseconds, options.BaseBackoff.TotalMilliseconds * Math.Pow(2, exponent));
        var fraction = Math.Clamp(jitter(), 0, 1);
        return TimeSpan.FromMilliseconds((step / 2) + (step / 2 * fraction));
    }

    private static string Time(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    private static DateTimeOffset CeilingToSecond(DateTimeOffset at) =>
        at.Ticks % TimeSpan.TicksPerSecond == 0 ? at : new DateTimeOffset(at.Ticks - (at.Ticks % TimeSpan.TicksPerSecond) + TimeSpan.TicksPerSecond, at.Offset);

    private static DateTimeOffset Later(DateTimeOffset a, DateTimeOffset b) => a > b ? a : b;
}
