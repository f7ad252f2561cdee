using Usd1Reconciler.Core.Reserves;

namespace Usd1Reconciler.Core.Reconciliation;

/// <summary>One reserve feed's input: the snapshot in force (if any), its freshness budget and its latest rejection.</summary>
/// <param name="LatestRejection">The newest rejection reason, shown when the feed has no usable snapshot.</param>
public sealed record FeedInput(string Feed, ReserveSnapshot? Snapshot, TimeSpan StaleAfter, string? LatestRejection);
