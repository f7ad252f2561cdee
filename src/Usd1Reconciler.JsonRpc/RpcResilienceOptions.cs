namespace Usd1Reconciler.JsonRpc;

/// <summary>
/// How hard one network's JSON-RPC client tries before it reports the network unavailable. Every endpoint has its own
/// health: after a failure it is rested for an exponentially growing, jittered backoff; after
/// <see cref="FailureThreshold"/> failures in a row its circuit opens for <see cref="BreakDuration"/>; a 429/503 with
/// Retry-After rests it at least that long. Calls go to the first usable endpoint in configured order, so traffic
/// returns to the primary as soon as its rest is over and it answers again.
/// </summary>
public sealed record RpcResilienceOptions
{
    /// <summary>Defaults for a daemon that polls every few seconds.</summary>
    public static readonly RpcResilienceOptions Default = new();

    /// <summary>One try per endpoint and no waiting: for probes and for tests that want to see the first failure.</summary>
    public static readonly RpcResilienceOptions NoRetry = new() { MaxRounds = 1 };

    /// <summary><value>Default 3.</value> Rounds over the usable endpoints one call may take before it fails.</summary>
    public int MaxRounds { get; init; } = 3;

    /// <summary><value>Default 250 ms.</value> Rest after an endpoint's first failure; doubles with each further one.</summary>
    public TimeSpan BaseBackoff { get; init; } = TimeSpan.FromMilliseconds(250);

    /// <summary><value>Default 10 s.</value> Longest backoff rest (the circuit breaker takes over beyond it).</summary>
    public TimeSpan MaxBackoff { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary><value>Default 3.</value> Failures in a row that open an endpoint's circuit.</summary>
    public int FailureThreshold { get; init; } = 3;

    /// <summary><value>Default 30 s.</value> How long an open circuit keeps an endpoint out before one trial call (half-open).</summary>
    public TimeSpan BreakDuration { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// <value>Default 10 s.</value> Longest a call waits for a rested endpoint (backoff or Retry-After) before it gives
    /// up; a longer rest fails the call at once, so a pass reports the outage instead of hanging.
    /// </summary>
    public TimeSpan MaxWait { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// <value>Default: none.</value> Requests each endpoint may be sent per second, a JSON-RPC batch counting one per
    /// element (see <see cref="RequestBudget"/>): calls wait their turn instead of drawing 429s from a provider that caps
    /// its plan's rate. Without it requests go out as fast as the callers make them, and a 429 is still waited out.
    /// </summary>
    public int? MaxRequestsPerSecond { get; init; }

    /// <summary>Throws <see cref="ArgumentException"/> naming the first value out of range.</summary>
    public void Validate()
    {
        if (MaxRounds < 1)
        {
            throw new ArgumentException($"{nameof(MaxRounds)} must be at least 1", nameof(MaxRounds));
        }

        if (FailureThreshold < 1)
        {
            throw new ArgumentException($"{nameof(FailureThreshold)} must be at least 1", nameof(FailureThreshold));
        }

        if (MaxRequestsPerSecond is < 1)
        {
            throw new ArgumentException($"{nameof(MaxRequestsPerSecond)} must be at least 1", nameof(MaxRequestsPerSecond));
        }

        if (BaseBackoff < TimeSpan.Zero || MaxBackoff < BaseBackoff || BreakDuration < TimeSpan.Zero || MaxWait < TimeSpan.Zero)
        {
            throw new ArgumentException("backoff, break and wait durations must be non-negative, and MaxBackoff ≥ BaseBackoff");
        }
    }
}
