namespace Usd1Reconciler.Reserves.Feeds;

/// <summary>
/// Reads a dropped file (the bank's export, copied in by whatever transfer the custodian uses). A signed file feed
/// carries its signature in the sidecar <c>&lt;path&gt;.sig</c>, in the same encoding as the HTTP header.
/// </summary>
public sealed class FileReserveDocumentSource(ReserveFeedSettings settings) : IReserveDocumentSource
{
    public async Task<FetchedDocument> FetchAsync(CancellationToken cancellationToken)
    {
        var path = settings.Path ?? throw new InvalidOperationException($"feed '{settings.Name}' has no path");
        try
        {
            var info = new FileInfo(path);
            if (!info.Exists)
            {
                throw new FeedFetchException($"feed '{settings.Name}': file {path} does not exist");
            }

            if (info.Length > ReserveFeedHeaders.MaxBodyBytes)
            {
                throw new FeedFetchException($"feed '{settings.Name}': file {path} has {info.Length} bytes, more than {ReserveFeedHeaders.MaxBodyBytes}");
            }

            var body = await File.ReadAllBytesAsync(path, cancellationToken);
            string? signature = null;
            if (settings.Auth.Kind is FeedAuthKind.Hmac or FeedAuthKind.Ed25519 && File.Exists(path + ".sig"))
            {
                signature = (await File.ReadAllTextAsync(path + ".sig", cancellationToken)).Trim();
            }

            return new FetchedDocument(body, signature);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new FeedFetchException($"feed '{settings.Name}': file {path} cannot be read: {ex.Message}", ex);
        }
    }
}
