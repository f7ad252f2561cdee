using System.Net.Http.Headers;
using System.Text;

namespace Usd1Reconciler.Reserves.Feeds;

/// <summary>
/// GETs a feed's document. Sends the bearer token when configured; hands back the signature header for the poller to
/// verify. Error messages name scheme, host and port only: a token in a query string never reaches a log.
/// </summary>
public sealed class HttpReserveDocumentSource(ReserveFeedSettings settings, HttpClient http, TimeProvider time) : IReserveDocumentSource
{
    public async Task<FetchedDocument> FetchAsync(CancellationToken cancellationToken)
    {
        var url = settings.Url ?? throw new InvalidOperationException($"feed '{settings.Name}' has no URL");
        var label = $"{url.Scheme}://{url.Authority}";
        using var timeout = new CancellationTokenSource(settings.RequestTimeout, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        if (settings.Auth.Kind == FeedAuthKind.Bearer && settings.Auth.Secret is { } token)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", Encoding.UTF8.GetString(token));
        }

        try
        {
            using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, linked.Token);
            if (!response.IsSuccessStatusCode)
            {
                throw new FeedFetchException($"feed '{settings.Name}' at {label} answered HTTP {(int)response.StatusCode}");
            }

            if (response.Content.Headers.ContentLength > ReserveFeedHeaders.MaxBodyBytes)
            {
                throw new FeedFetchException($"feed '{settings.Name}' at {label} sent {response.Content.Headers.ContentLength} bytes, more than {ReserveFeedHeaders.MaxBodyBytes}");
            }

            var body = await ReadLimitedAsync(response.Content, linked.Token);
            var header = settings.Auth.Kind switch
            {
                FeedAuthKind.Hmac => ReserveFeedHeaders.HmacSha256,
                FeedAuthKind.Ed25519 => ReserveFeedHeaders.Ed25519,
                _ => null,
            };
            var signature = header is not null && response.Headers.TryGetValues(header, out var values) ? values.FirstOrDefault() : null;
            return new FetchedDocument(body, signature);
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw new FeedFetchException($"feed '{settings.Name}' at {label} did not answer within {settings.RequestTimeout}");
        }
        catch (HttpRequestException ex)
        {
            throw new FeedFetchException($"feed '{settings.Name}' at {label} is unreachable: {ex.HttpRequestError}", ex);
        }
    }

    private async Task<byte[]> ReadLimitedAsync(HttpContent content, CancellationToken cancellationToken)
    {
        await using var stream = await content.ReadAsStreamAsync(cancellationToken);
        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = await stream.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > ReserveFeedHeaders.MaxBodyBytes)
            {
                throw new FeedFetchException($"feed '{settings.Name}' sent more than {ReserveFeedHeaders.MaxBodyBytes} bytes");
            }

            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
    }
}
