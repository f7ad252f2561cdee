namespace Usd1Reconciler.JsonRpc;

/// <summary>
/// A point-in-time view of one endpoint, for status output and metrics. <see cref="Endpoint"/> is the secret-free
/// label (scheme://host:port).
/// </summary>
/// <param name="ConsecutiveFailures">Failures since the last answer; the circuit opens at the configured threshold.</param>
/// <param name="RestUntil">When the endpoint may be asked again (backoff, open circuit or Retry-After); null when it may be asked now.</param>
/// <param name="UntrustedReason">Why the endpoint is not used for data (wrong chain, other fork, lagging head); null when trusted.</param>
public sealed record EndpointHealth(
    string Network,
    string Endpoint,
    EndpointState State,
    int ConsecutiveFailures,
    string? LastError,
    DateTimeOffset? LastSuccessAt,
    DateTimeOffset? LastFailureAt,
    DateTimeOffset? RestUntil,
    string? UntrustedReason,
    long Requests,
    long Failures);
