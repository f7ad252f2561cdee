using System.Net;
using System.Net.Sockets;

namespace Usd1Reconciler.IntegrationTests.Fixtures;

internal static class FreePort
{
    /// <summary>A loopback port that was free a moment ago (the OS picks it; the caller binds it right away).</summary>
    public static int Next()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
