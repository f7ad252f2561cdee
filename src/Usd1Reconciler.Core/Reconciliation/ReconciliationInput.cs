namespace Usd1Reconciler.Core.Reconciliation;

/// <summary>Everything one reconciliation judges, gathered at <paramref name="EvaluatedAt"/>.</summary>
/// <param name="Kind">scheduled, end_of_day, once or point_in_time: why the report was made.</param>
/// <param name="EvaluatedAt">The time freshness is judged against: now, or the feed's as-of time in point-in-time mode.</param>
public sealed record ReconciliationInput(
    string Kind,
    DateTimeOffset EvaluatedAt,
    IReadOnlyList<NetworkCirculation> Networks,
    IReadOnlyList<FeedInput> Feeds,
    ReconciliationPolicy Policy);
