using System.Globalization;
using System.Net;

namespace Usd1Reconciler.Configuration;

/// <summary>
/// Reads a listen address, "host:port" (IPv4, [IPv6] or localhost; port 0 picks a free one). It lives with the
/// configuration, which validates <c>Http:Listen</c>, and the web server parses the same text with it.
/// </summary>
public static class ListenEndpoint
{
    public static bool TryParse(string listen, out IPEndPoint endpoint, out string error)
    {
        ArgumentNullException.ThrowIfNull(listen);
        endpoint = new IPEndPoint(IPAddress.Loopback, 0);
        var colon = listen.LastIndexOf(':');
        if (colon <= 0 || !int.TryParse(listen.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port > 65535)
        {
            error = $"'{listen}' is not host:port";
            return false;
        }

        var host = listen[..colon].Trim('[', ']');
        if (host == "localhost")
        {
            endpoint = new IPEndPoint(IPAddress.Loopback, port);
        }
        else if (IPAddress.TryParse(host, out var address))
        {
            endpoint = new IPEndPoint(address, port);
        }
        else
        {
            error = $"host '{host}' is not an IP address";
            return false;
        }

        error = string.Empty;
        return true;
    }

    /// <exception cref="FormatException"><paramref name="listen"/> is not host:port; the message names Http:Listen.</exception>
    public static IPEndPoint Parse(string listen) =>
        TryParse(listen, out var endpoint, out var error) ? endpoint : throw new FormatException($"Http:Listen {error}");
}
