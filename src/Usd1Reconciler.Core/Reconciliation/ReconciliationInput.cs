namespace Usd1Reconciler.Core.Reconciliation;

/// <summary>Everything one reconciliation judges, gathered at <paramref name="EvaluatedAt"/>.</summary>
/// <param name="Kind">scheduled, end_of_day, once or point_in_time: why the report was made.</param>
/// <param name="EvaluatedAt">The time freshness is judged against: now, or the feed's as-of time in point-in-time mode.</param>
/// <param name="LastConclusive">The newest conclusive result in the chain, carried into the report if this one is Inconclusive.</param>
/// <param name="InconclusiveSince">When the current run of Inconclusive reports began (null when the newest report is conclusive or there is none): an Inconclusive report continues it, or starts one at <paramref name="EvaluatedAt"/>.</param>
/// <param name="Redemptions">Hourly aggregates and settings for redemption velocity and runway; null leaves the report without them (format 1).</param>
public sealed record ReconciliationInput(
    string Kind,
    DateTimeOffset EvaluatedAt,
    IReadOnlyList<NetworkCirculation> Networks,
    IReadOnlyList<FeedInput> Feeds,
    ReconciliationPolicy Policy,
    ConclusiveResult? LastConclusive = null,
    DateTimeOffset? InconclusiveSince = null,
    Redemptions.RedemptionInput? Redemptions = null);
