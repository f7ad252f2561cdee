using System.Net;
using System.Text.Encodings.Web;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Usd1Reconciler.Metrics;

namespace Usd1Reconciler.Web;

/// <summary>
/// Kestrel serving /metrics, /healthz, /readyz and the status page, as a hosted service inside the daemon's host, so
/// the scheduler host stays a plain Generic Host. /healthz says the process is alive; /readyz says its figures can be
/// trusted (store open, every network indexed at least once, its passes succeeding, an RPC endpoint usable): see
/// <see cref="ReadinessProbe"/>.
/// </summary>
internal sealed class ObservabilityServer(
    string listen,
    ReconcilerMetrics metrics,
    Func<CancellationToken, Task> refreshMetrics,
    ReadinessProbe readiness,
    Func<HttpContext, CancellationToken, Task>? statusPage,
    ILoggerFactory loggerFactory) : IHostedService, IAsyncDisposable
{
    /// <summary>
    /// /readyz is read by people with curl during an outage: quotes and dashes in causes stay as they are instead of
    /// \u0027 and \u2014 (the body is JSON served as application/json, never embedded in HTML).
    /// </summary>
    private static readonly JsonSerializerOptions ReadableJson = new(JsonSerializerDefaults.Web) { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private WebApplication? _app;

    public Uri? BoundAddress { get; private set; }

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(listen))
        {
            return;
        }

        var endpoint = ParseListen(listen);
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(endpoint));
        var app = builder.Build();
        app.MapGet("/healthz", () => Results.Text("ok\n"));
        app.MapGet("/readyz", async (CancellationToken ct) =>
        {
            var report = await readiness.CheckAsync(ct);
            return report.Ready
                ? Results.Json(report, ReadableJson)
                : Results.Json(report, ReadableJson, statusCode: StatusCodes.Status503ServiceUnavailable);
        });
        app.MapGet("/metrics", async (HttpContext context, CancellationToken ct) =>
        {
            await refreshMetrics(ct);
            context.Response.ContentType = "text/plain; version=0.0.4; charset=utf-8";
            await context.Response.WriteAsync(await metrics.ExportAsync(ct), ct);
        });
        if (statusPage is not null)
        {
            app.MapGet("/", (HttpContext context, CancellationToken ct) => statusPage(context, ct));
        }

        await app.StartAsync(cancellationToken);
        _app = app;
        var address = app.Urls.FirstOrDefault() ?? $"http://{endpoint}";
        BoundAddress = new Uri(address.Replace("0.0.0.0", "127.0.0.1", StringComparison.Ordinal).Replace("[::]", "127.0.0.1", StringComparison.Ordinal));
        loggerFactory.CreateLogger<ObservabilityServer>().LogInformation("metrics, health and status page at {Address}", BoundAddress);
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_app is not null)
        {
            await _app.StopAsync(cancellationToken);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.DisposeAsync();
        }
    }

    /// <summary>"host:port" (IPv4, [IPv6] or localhost); port 0 picks a free one. The rule is the configuration's, which validates Http:Listen.</summary>
    internal static IPEndPoint ParseListen(string listen) => Configuration.ListenEndpoint.Parse(listen);
}
