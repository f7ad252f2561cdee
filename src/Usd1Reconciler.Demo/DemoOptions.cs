namespace Usd1Reconciler.Demo;

/// <summary>What `usd1rec-demo` was asked to do.</summary>
/// <param name="Directory">Where the store, config, reserve feed and devnet caches live (recreated on each start).</param>
/// <param name="Listen">host:port of the daemon's HTTP endpoints; port 0 picks a free one.</param>
/// <param name="Duration">Stop by itself after this long (tests, CI); null = until Ctrl-C or SIGTERM.</param>
/// <param name="Incidents">Staged one after another, the first <paramref name="IncidentAfter"/> after the first Covered verdict.</param>
/// <param name="AlertmanagerUrl">Optional Alertmanager to page; null keeps anomalies in the store and on the page only.</param>
internal sealed record DemoOptions(
    string Directory,
    string Listen,
    TimeSpan? Duration,
    IReadOnlyList<DemoIncident> Incidents,
    TimeSpan IncidentAfter,
    string? AlertmanagerUrl);
