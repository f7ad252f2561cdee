using System.Diagnostics;
using System.Net;
using System.Text.Json;

namespace Usd1Reconciler.IntegrationTests.Fixtures;

/// <summary>
/// Stands in for a pager: an in-test HTTP listener on loopback that records every Alertmanager webhook post
/// (payload version 4) with the moment it arrived, and lets a test wait for the one it expects.
/// </summary>
internal sealed class WebhookReceiver : IAsyncDisposable
{
    private readonly Lock _gate = new();
    private readonly List<WebhookNotification> _notifications = [];
    private readonly LoopbackHttpListener _listener;
    private TaskCompletionSource _arrived = NewSignal();

    private WebhookReceiver()
    {
        _listener = LoopbackHttpListener.Start(ReceiveAsync);
    }

    /// <summary>The URL to put in Alertmanager's <c>webhook_configs</c>.</summary>
    public Uri Url => _listener.Url;

    /// <summary>Every notification so far, in arrival order.</summary>
    public IReadOnlyList<WebhookNotification> Notifications
    {
        get
        {
            lock (_gate)
            {
                return [.. _notifications];
            }
        }
    }

    /// <summary>Every alert of every notification so far, in arrival order (an alert re-sent on resolve appears twice).</summary>
    public IReadOnlyList<WebhookAlert> Alerts => [.. Notifications.SelectMany(n => n.Alerts)];

    public static WebhookReceiver Start() => new();

    /// <summary>The first notification, already received or yet to come, that matches; throws on timeout with what did arrive.</summary>
    public async Task<WebhookNotification> WaitForAsync(Func<WebhookNotification, bool> predicate, TimeSpan timeout)
    {
        var elapsed = Stopwatch.StartNew();
        while (true)
        {
            Task arrived;
            lock (_gate)
            {
                var match = _notifications.FirstOrDefault(predicate);
                if (match is not null)
                {
                    return match;
                }

                arrived = _arrived.Task;
            }

            var remaining = timeout - elapsed.Elapsed;
            if (remaining <= TimeSpan.Zero)
            {
                throw new TimeoutException(
                    $"no matching webhook notification within {timeout}; received {Notifications.Count}:\n"
                    + string.Join('\n', Notifications.Select(n => n.RawJson)));
            }

            await Task.WhenAny(arrived, Task.Delay(remaining, TimeProvider.System));
        }
    }

    /// <summary>The first notification holding an alert named <paramref name="alertName"/> in <paramref name="status"/> (firing|resolved).</summary>
    public async Task<(WebhookNotification Notification, WebhookAlert Alert)> WaitForAlertAsync(
        string alertName, TimeSpan timeout, string status = "firing", Func<WebhookAlert, bool>? where = null)
    {
        bool Matches(WebhookAlert a) =>
            a.Status == status && a.Labels.GetValueOrDefault("alertname") == alertName && (where is null || where(a));

        var notification = await WaitForAsync(n => n.Alerts.Any(Matches), timeout);
        return (notification, notification.Alerts.First(Matches));
    }

    public ValueTask DisposeAsync() => _listener.DisposeAsync();

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    private async Task ReceiveAsync(HttpListenerContext context)
    {
        var receivedTimestamp = Stopwatch.GetTimestamp();
        var receivedAt = TimeProvider.System.GetUtcNow();
        string body;
        using (var reader = new StreamReader(context.Request.InputStream, context.Request.ContentEncoding))
        {
            body = await reader.ReadToEndAsync();
        }

        WebhookNotification notification;
        try
        {
            notification = WebhookNotification.Parse(body, context.Request.Url?.AbsolutePath ?? "/", receivedAt, receivedTimestamp);
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
        {
            context.Response.StatusCode = (int)HttpStatusCode.BadRequest;
            return;
        }

        TaskCompletionSource arrived;
        lock (_gate)
        {
            _notifications.Add(notification);
            arrived = _arrived;
            _arrived = NewSignal();
        }

        arrived.SetResult();
        context.Response.StatusCode = (int)HttpStatusCode.OK;
    }
}
