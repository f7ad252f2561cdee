using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

namespace Usd1Reconciler.IntegrationTests.Fixtures;

/// <summary>
/// A TCP proxy on a free loopback port in front of one upstream port (a PostgreSQL server), which a test can cut as
/// a network partition cuts a connection: <see cref="Partition"/> stops forwarding in both directions without closing
/// anything (the client's bytes go nowhere and no reply comes, as when a route disappears — the client only learns by
/// its own timeouts), and new connections are accepted but never answered. <see cref="Heal"/> drops the stale
/// connections (their state is lost, as after a real partition outlasts the server's keepalive) and forwards again.
/// </summary>
internal sealed class TcpProxy : IAsyncDisposable
{
    private readonly TcpListener _listener;
    private readonly int _upstreamPort;
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentDictionary<int, (TcpClient Client, TcpClient Upstream)> _connections = new();
    private readonly Task _accepting;
    private volatile bool _partitioned;
    private int _nextId;

    private TcpProxy(int upstreamPort)
    {
        _upstreamPort = upstreamPort;
        _listener = new TcpListener(IPAddress.Loopback, 0);
        _listener.Start();
        Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
        _accepting = AcceptAsync();
    }

    /// <summary>The loopback port clients connect to.</summary>
    public int Port { get; }

    public bool IsPartitioned => _partitioned;

    /// <summary>Connections accepted so far (a client that reconnects after a heal shows up here).</summary>
    public int Accepted => Volatile.Read(ref _nextId);

    public static TcpProxy Start(int upstreamPort) => new(upstreamPort);

    public void Partition() => _partitioned = true;

    public void Heal()
    {
        foreach (var (id, pair) in _connections)
        {
            Close(id, pair);
        }

        _partitioned = false;
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        foreach (var (id, pair) in _connections)
        {
            Close(id, pair);
        }

        try
        {
            await _accepting;
        }
        catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
        {
            // Stopping the listener ends the accept loop.
        }

        _stop.Dispose();
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            var client = await _listener.AcceptTcpClientAsync(_stop.Token);
            var id = Interlocked.Increment(ref _nextId);
            if (_partitioned)
            {
                // Accepted by the kernel, never answered: the client's connect "succeeds" and then hears nothing.
                _connections[id] = (client, new TcpClient());
                continue;
            }

            var upstream = new TcpClient();
            try
            {
                await upstream.ConnectAsync(IPAddress.Loopback, _upstreamPort, _stop.Token);
            }
            catch (SocketException)
            {
                // The upstream is down (a restart): the client sees its connection closed, as it would without a proxy.
                client.Dispose();
                upstream.Dispose();
                continue;
            }

            _connections[id] = (client, upstream);
            _ = PumpAsync(id, client, upstream);
            _ = PumpAsync(id, upstream, client);
        }
    }

    private async Task PumpAsync(int id, TcpClient from, TcpClient to)
    {
        var buffer = new byte[16 * 1024];
        try
        {
            var source = from.GetStream();
            var target = to.GetStream();
            while (true)
            {
                var read = await source.ReadAsync(buffer, _stop.Token);
                if (read == 0)
                {
                    break;
                }

                // During a partition the bytes are dropped: neither side hears anything, nothing is closed.
                if (!_partitioned)
                {
                    await target.WriteAsync(buffer.AsMemory(0, read), _stop.Token);
                }
            }
        }
        catch (Exception ex) when (ex is IOException or SocketException or ObjectDisposedException or OperationCanceledException or InvalidOperationException)
        {
            // One side closed or the proxy stopped; the other side is closed below.
        }

        if (!_partitioned && _connections.TryGetValue(id, out var pair))
        {
            Close(id, pair);
        }
    }

    private void Close(int id, (TcpClient Client, TcpClient Upstream) pair)
    {
        _connections.TryRemove(id, out _);
        pair.Client.Dispose();
        pair.Upstream.Dispose();
    }
}
