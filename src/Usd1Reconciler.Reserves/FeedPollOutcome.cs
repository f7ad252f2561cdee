namespace Usd1Reconciler.Reserves;

/// <summary>What one poll of a feed did.</summary>
/// <param name="SnapshotId">The snapshot in force after the poll, if any.</param>
/// <param name="Reason">Why the document was rejected or the fetch failed.</param>
public sealed record FeedPollOutcome(string Feed, FeedPollStatus Status, long? SnapshotId, string? Reason);
