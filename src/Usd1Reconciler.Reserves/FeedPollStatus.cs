namespace Usd1Reconciler.Reserves;

public enum FeedPollStatus
{
    /// <summary>A new snapshot was accepted and is now in force.</summary>
    Accepted,

    /// <summary>The feed served the snapshot already in force.</summary>
    Unchanged,

    /// <summary>A document arrived and was refused; the rejection is stored and the previous snapshot stays in force.</summary>
    Rejected,

    /// <summary>Nothing arrived (unreachable, HTTP error, missing file); the feed ages towards stale.</summary>
    FetchFailed,
}
