namespace Usd1Reconciler.Reserves.Feeds;

/// <summary>Where a feed's document comes from. Throws <see cref="FeedFetchException"/> when nothing could be fetched.</summary>
public interface IReserveDocumentSource
{
    Task<FetchedDocument> FetchAsync(CancellationToken cancellationToken);
}
