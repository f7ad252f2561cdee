using System.Net;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Usd1Reconciler.IntegrationTests.Fixtures;

/// <summary>
/// A custodian's feed on Kestrel, loopback, port chosen by the OS: serves whatever document (and headers) the test
/// last set, and when <see cref="RequiredBearer"/> is set refuses any request without that token (compared in
/// constant time, as a real custodian should).
/// </summary>
internal sealed class CustodianServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private volatile Served _served = new([], new Dictionary<string, string>());

    private CustodianServer(WebApplication app)
    {
        _app = app;
    }

    public Uri Url { get; private set; } = null!;

    public string? RequiredBearer { get; set; }

    public int Requests;

    public static async Task<CustodianServer> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrel(o => o.Listen(IPAddress.Loopback, 0));
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var server = new CustodianServer(app);
        app.Run(server.ServeAsync);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        server.Url = new Uri(address.TrimEnd('/') + "/reserves/snapshot.json");
        return server;
    }

    public void Serve(byte[] body, IReadOnlyDictionary<string, string>? headers = null) => _served = new Served(body, headers ?? new Dictionary<string, string>());

    public void Serve(string body, IReadOnlyDictionary<string, string>? headers = null) => Serve(Encoding.UTF8.GetBytes(body), headers);

    private async Task ServeAsync(HttpContext context)
    {
        Interlocked.Increment(ref Requests);
        if (RequiredBearer is { } token)
        {
            var presented = Encoding.UTF8.GetBytes(context.Request.Headers.Authorization.ToString());
            if (!CryptographicOperations.FixedTimeEquals(presented, Encoding.UTF8.GetBytes("Bearer " + token)))
            {
                context.Response.StatusCode = StatusCodes.Status401Unauthorized;
                return;
            }
        }

        var served = _served;
        foreach (var (name, value) in served.Headers)
        {
            context.Response.Headers[name] = value;
        }

        context.Response.ContentType = "application/json";
        await context.Response.Body.WriteAsync(served.Body);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private sealed record Served(byte[] Body, IReadOnlyDictionary<string, string> Headers);
}
