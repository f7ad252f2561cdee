namespace Usd1Reconciler.JsonRpc;

/// <summary>Where an endpoint stands, as calls and metrics see it.</summary>
public enum EndpointState
{
    /// <summary>Last call answered (or never asked yet).</summary>
    Healthy,

    /// <summary>Failed recently; rested for a backoff, asked again after it.</summary>
    Degraded,

    /// <summary>Circuit open after repeated failures; not asked until the break is over.</summary>
    Open,

    /// <summary>Answered 429/503, rested for its Retry-After.</summary>
    RateLimited,

    /// <summary>Answers, but serves another chain, another fork, or a head too far behind: never used for data.</summary>
    Untrusted,
}
