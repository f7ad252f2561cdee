using System.Diagnostics;
using System.Net;
using System.Text;

namespace Usd1Reconciler.IntegrationTests.Fixtures;

/// <summary>
/// A hand-written <c>/metrics</c> page (Prometheus text exposition 0.0.4) served on loopback for Prometheus to scrape:
/// a test sets the body, Prometheus sees it at its next scrape. Stands in for the daemon where only the observability
/// configuration is under test.
/// </summary>
internal sealed class MetricsEndpoint : IAsyncDisposable
{
    private readonly LoopbackHttpListener _listener;
    private volatile string _body;
    private long _scrapes;

    private MetricsEndpoint(string body)
    {
        _body = body;
        _listener = LoopbackHttpListener.Start(ServeAsync);
    }

    /// <summary>The scrape URL, <c>http://127.0.0.1:PORT/metrics</c>.</summary>
    public Uri Url => new(_listener.Url, "metrics");

    public long ScrapeCount => Interlocked.Read(ref _scrapes);

    public static MetricsEndpoint Start(string body = "") => new(body);

    /// <summary>Replaces the whole page; the next scrape sees it.</summary>
    public void Set(string body) => _body = body;

    /// <summary>Waits until Prometheus has scraped at least <paramref name="count"/> more times.</summary>
    public async Task WaitForScrapesAsync(int count, TimeSpan timeout)
    {
        var target = ScrapeCount + count;
        var elapsed = Stopwatch.StartNew();
        while (ScrapeCount < target)
        {
            if (elapsed.Elapsed > timeout)
            {
                throw new TimeoutException($"{count} scrapes of {Url} did not happen within {timeout}");
            }

            await Task.Delay(TimeSpan.FromMilliseconds(20), TimeProvider.System);
        }
    }

    public ValueTask DisposeAsync() => _listener.DisposeAsync();

    private async Task ServeAsync(HttpListenerContext context)
    {
        if (context.Request.Url?.AbsolutePath != "/metrics")
        {
            context.Response.StatusCode = (int)HttpStatusCode.NotFound;
            return;
        }

        var bytes = Encoding.UTF8.GetBytes(_body);
        context.Response.StatusCode = (int)HttpStatusCode.OK;
        context.Response.ContentType = "text/plain; version=0.0.4; charset=utf-8";
        context.Response.ContentLength64 = bytes.Length;
        await context.Response.OutputStream.WriteAsync(bytes);
        Interlocked.Increment(ref _scrapes);
    }
}
