namespace Usd1Reconciler.JsonRpc;

/// <summary>
/// One endpoint's request budget: at most <c>MaxRequestsPerSecond</c> JSON-RPC requests in any window of
/// <see cref="Window"/>, a batch counting one per element (providers bill and cap batch elements, not HTTP posts), and
/// the provider's flow control after a 429. Calls wait here before they are sent, so a budget the provider's cap allows
/// is never exceeded however many ranges are in flight.
/// <para>
/// A request holds its place from the moment it is sent until one window after its answer (or failure) arrived: the
/// provider counted it at some instant between the two, so a request sent a full window after that answer cannot land
/// in the same provider window whatever the network or the scheduler delayed — no safety margin to guess, at the cost
/// of one reply's latency per window (25 per second with 85 ms replies: 23 per second).
/// </para>
/// <para>
/// After a rate-limited answer (429, or 503 with Retry-After) nothing is sent before the rest it asked for is over, and
/// then one request goes first, alone: the others wait for its answer, so a provider that still refuses sees one
/// request per Retry-After instead of every waiting call at once (no retry storm, with or without a configured budget).
/// </para>
/// </summary>
internal sealed class RequestBudget(int? maxRequestsPerSecond, TimeProvider time)
{
    /// <summary>The window the budget is counted over, as providers count theirs.</summary>
    public static readonly TimeSpan Window = TimeSpan.FromSeconds(1);

    private readonly Lock _lock = new();
    private readonly int? _max = maxRequestsPerSecond is { } max
        ? max >= 1 ? max : throw new ArgumentOutOfRangeException(nameof(maxRequestsPerSecond), max, "a request budget must allow at least 1 request per second")
        : null;

    // Answer times of the elements answered within the last window, oldest first, and the elements still awaiting an
    // answer (only kept when a budget is configured).
    private readonly Queue<DateTimeOffset> _answered = new();
    private int _inFlight;
    private DateTimeOffset _pausedUntil = DateTimeOffset.MinValue;
    private bool _probeFirst;
    private RequestLease? _probe;
    private TaskCompletionSource _changed = NewSignal();
    private long _throttled;

    public int? MaxRequestsPerSecond => _max;

    /// <summary>Requests that had to wait for the budget or a rate-limit rest before they could be sent.</summary>
    public long Throttled
    {
        get
        {
            lock (_lock)
            {
                return _throttled;
            }
        }
    }

    /// <summary>
    /// Waits until <paramref name="elements"/> requests fit in the budget, the provider's rest is over and no probe is
    /// outstanding, then counts them as sent. A batch larger than the whole budget waits for an empty window and is
    /// sent on its own (callers should not build one: see <see cref="JsonRpcClient.MaxBatchSize"/>).
    /// </summary>
    public async Task<RequestLease> AcquireAsync(int elements, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(elements);
        var waited = false;
        while (true)
        {
            Task changed;
            DateTimeOffset? wakeAt;
            lock (_lock)
            {
                var now = time.GetUtcNow();
                changed = _changed.Task;
                wakeAt = _probe is not null ? null : ReadyAt(now, elements);
                if (wakeAt is { } ready && ready <= now)
                {
                    if (waited)
                    {
                        _throttled++;
                    }

                    var counted = _max is null ? 0 : Math.Min(elements, _max.Value);
                    _inFlight += counted;
                    var lease = new RequestLease(this, counted);
                    if (_probeFirst)
                    {
                        _probe = lease;
                    }

                    return lease;
                }
            }

            // Wait for a place to free up (an answer, a probe's outcome) or for the time one is known to free up.
            waited = true;
            if (wakeAt is { } at && at != DateTimeOffset.MaxValue)
            {
                using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                var delay = Task.Delay(at - time.GetUtcNow() is var d && d > TimeSpan.Zero ? d : TimeSpan.Zero, time, stop.Token);
                await Task.WhenAny(delay, changed);
                await stop.CancelAsync();
                cancellationToken.ThrowIfCancellationRequested();
            }
            else
            {
                await changed.WaitAsync(cancellationToken);
            }
        }
    }

    /// <summary>The provider refused for rate: nothing is sent before <paramref name="until"/>, then one request first.</summary>
    internal void OnRateLimited(RequestLease lease, DateTimeOffset until)
    {
        lock (_lock)
        {
            if (until > _pausedUntil)
            {
                _pausedUntil = until;
            }

            _probeFirst = true;
            Settle(lease);
        }
    }

    /// <summary>Any other outcome (an answer, an error object, a failed transport): rate is not the problem, traffic may resume.</summary>
    internal void OnAnswered(RequestLease lease)
    {
        lock (_lock)
        {
            if (ReferenceEquals(_probe, lease))
            {
                _probeFirst = false;
            }

            Settle(lease);
        }
    }

    /// <summary>No outcome (cancelled, or the caller gave up): a probe hands its turn to the next request.</summary>
    internal void OnAbandoned(RequestLease lease)
    {
        lock (_lock)
        {
            Settle(lease);
        }
    }

    /// <summary>The lease's elements now count from this instant for one window; waiters look again.</summary>
    private void Settle(RequestLease lease)
    {
        if (lease.Elements > 0)
        {
            _inFlight -= lease.Elements;
            var now = time.GetUtcNow();
            for (var i = 0; i < lease.Elements; i++)
            {
                _answered.Enqueue(now);
            }
        }

        if (ReferenceEquals(_probe, lease))
        {
            _probe = null;
        }

        var changed = _changed;
        _changed = NewSignal();
        changed.TrySetResult();
    }

    /// <summary>
    /// When <paramref name="elements"/> may be sent: after the provider's rest, and once the budget holds room for them;
    /// <see cref="DateTimeOffset.MaxValue"/> when that depends on requests still awaiting their answer.
    /// </summary>
    private DateTimeOffset ReadyAt(DateTimeOffset now, int elements)
    {
        var ready = _pausedUntil > now ? _pausedUntil : now;
        if (_max is not { } max)
        {
            return ready;
        }

        while (_answered.Count > 0 && _answered.Peek() <= now - Window)
        {
            _answered.Dequeue();
        }

        var needed = Math.Min(elements, max);
        var shortfall = needed - (max - _inFlight - _answered.Count);
        if (shortfall <= 0)
        {
            return ready;
        }

        if (shortfall > _answered.Count)
        {
            return DateTimeOffset.MaxValue;
        }

        // The shortfall-th oldest answer must leave the window first.
        var freed = _answered.ElementAt(shortfall - 1) + Window;
        return freed > ready ? freed : ready;
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
