namespace Usd1Reconciler.Core.Reserves;

/// <summary>Accepted reserve snapshots and rejected documents. Implementations hold all SQL.</summary>
public interface IReserveStore
{
    /// <summary>The snapshot in force for a feed: the accepted one with the latest as-of time, or null.</summary>
    Task<ReserveSnapshot?> GetLatestSnapshotAsync(string feed, CancellationToken cancellationToken);

    /// <summary>The snapshot in force at <paramref name="asOf"/>: the accepted one with the latest as-of time at or before it, or null.</summary>
    Task<ReserveSnapshot?> GetSnapshotAtAsync(string feed, DateTimeOffset asOf, CancellationToken cancellationToken);

    /// <summary>Stores an accepted snapshot with its accounts in one transaction; returns its id.</summary>
    Task<long> RecordSnapshotAsync(ReserveSnapshot snapshot, CancellationToken cancellationToken);

    Task RecordRejectionAsync(FeedRejection rejection, CancellationToken cancellationToken);

    /// <summary>The newest rejections of a feed, newest first.</summary>
    Task<IReadOnlyList<FeedRejection>> GetRejectionsAsync(string feed, int limit, CancellationToken cancellationToken);
}
