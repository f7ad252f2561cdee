using System.Net;

namespace Usd1Reconciler.IntegrationTests.Fixtures;

/// <summary>
/// An in-test HTTP server on a free loopback port (System.Net.HttpListener): each request goes to one handler, one at
/// a time in arrival order. Base of <see cref="WebhookReceiver"/> and <see cref="MetricsEndpoint"/>.
/// </summary>
internal sealed class LoopbackHttpListener : IAsyncDisposable
{
    private readonly HttpListener _listener;
    private readonly Func<HttpListenerContext, Task> _handler;
    private readonly Task _loop;

    private LoopbackHttpListener(HttpListener listener, Uri url, Func<HttpListenerContext, Task> handler)
    {
        _listener = listener;
        _handler = handler;
        Url = url;
        _loop = Task.Run(LoopAsync);
    }

    /// <summary>The server's root, <c>http://127.0.0.1:PORT/</c>.</summary>
    public Uri Url { get; }

    public static LoopbackHttpListener Start(Func<HttpListenerContext, Task> handler)
    {
        // FreePort can race with another process taking the port; a few attempts make that harmless.
        for (var attempt = 1; ; attempt++)
        {
            var url = new Uri($"http://127.0.0.1:{FreePort.Next()}/");
            var listener = new HttpListener();
            listener.Prefixes.Add(url.ToString());
            try
            {
                listener.Start();
                return new LoopbackHttpListener(listener, url, handler);
            }
            catch (HttpListenerException) when (attempt < 5)
            {
                listener.Close();
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        _listener.Stop();
        _listener.Close();
        await _loop;
    }

    private async Task LoopAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return; // stopped
            }

            try
            {
                await _handler(context);
            }
            catch (Exception e) when (e is HttpListenerException or IOException)
            {
                // The client went away mid-reply: nothing to record.
            }
            finally
            {
                context.Response.Close();
            }
        }
    }
}
