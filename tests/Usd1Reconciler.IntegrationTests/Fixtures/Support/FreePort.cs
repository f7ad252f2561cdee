using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

namespace Usd1Reconciler.IntegrationTests.Fixtures;

internal static class FreePort
{
    // Fixtures run two at a time: the OS may hand the same just-released port to two callers before either binds
    // it, so a port once handed out in this process is never handed out again.
    private static readonly ConcurrentDictionary<int, byte> HandedOut = new();

    /// <summary>A loopback port that was free a moment ago (the OS picks it; the caller binds it right away).</summary>
    public static int Next()
    {
        while (true)
        {
            using var listener = new TcpListener(IPAddress.Loopback, 0);
            listener.Start();
            var port = ((IPEndPoint)listener.LocalEndpoint).Port;
            listener.Stop();
            if (HandedOut.TryAdd(port, 0))
            {
                return port;
            }
        }
    }
}
