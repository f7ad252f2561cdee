using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.Extensions.Time.Testing;
using Npgsql;
using Usd1Reconciler.IntegrationTests.Fixtures;
using Usd1Reconciler.Storage.Leasing;
using Usd1Reconciler.Storage.Postgres;

namespace Usd1Reconciler.IntegrationTests.HighAvailability;

/// <summary>
/// Issue 14.4 on a real PostgreSQL 15: one writer per network, fenced. Each test samples both instances' view every
/// 20 ms and fails if both ever believed they held the same network.
/// </summary>
[TestFixture]
[Category("Integration")]
[NonParallelizable]
public sealed class PostgresNetworkLeasesTests
{
    private const string Network = "ethereum";
    private PostgresServer _server = null!;
    private int _databases;

    [OneTimeSetUp]
    public async Task StartServer() => _server = await PostgresServer.StartAsync();

    [OneTimeTearDown]
    public async Task StopServer() => await _server.DisposeAsync();

    [Test]
    public async Task TryAcquire_SecondInstanceWhileHeld_RefusedWithHolderAndOnlyTheHolderCommits()
    {
        var connectionString = await NewStoreAsync();
        await using var a = Leases(connectionString, "a", TimeSpan.FromSeconds(10));
        await using var b = Leases(connectionString, "b", TimeSpan.FromSeconds(10));

        var first = await a.TryAcquireAsync(Network, CancellationToken.None);
        var second = await b.TryAcquireAsync(Network, CancellationToken.None);

        Assert.Multiple(async () =>
        {
            Assert.That(first.Acquired, Is.True);
            Assert.That(second.Acquired, Is.False);
            Assert.That(second.Holder, Is.EqualTo("a"), "the refused instance learns who holds");
            Assert.That(second.Remaining, Is.GreaterThan(TimeSpan.FromSeconds(5)));
            Assert.That(await TryCommitAsync(connectionString, a, "a"), Is.True);
            Assert.That(await TryCommitAsync(connectionString, b, "b"), Is.False, "an instance without the lease must commit nothing");
            Assert.That(await WritersAsync(connectionString), Is.EqualTo(new[] { "a" }));
        });
    }

    [Test]
    public async Task EnsureHeld_PausedHolderWhoseLeaseWasTaken_CommitRefusedByTheDatabase()
    {
        // Instance a's clock is frozen: it is a process paused (GC, SIGSTOP, a starved VM) that still believes it
        // holds. The database's clock runs on, the lease expires, b takes it; a's commit must then fail on its own.
        var connectionString = await NewStoreAsync();
        var frozen = new FakeTimeProvider(new DateTimeOffset(2026, 12, 1, 12, 0, 0, TimeSpan.Zero));
        await using var a = new PostgresNetworkLeases(new PostgresStorageSettings(connectionString), "a", frozen, length: TimeSpan.FromSeconds(2));
        await using var b = Leases(connectionString, "b", TimeSpan.FromSeconds(2));
        var taken = await a.TryAcquireAsync(Network, CancellationToken.None);

        var takeover = await WaitUntilAsync(async () => (await b.TryAcquireAsync(Network, CancellationToken.None)).Acquired, TimeSpan.FromSeconds(20));

        Assert.Multiple(async () =>
        {
            Assert.That(takeover, Is.True, "b takes the lease once a's expired in database time");
            Assert.That(a.IsHeld(Network), Is.True, "a's frozen clock has not ended its tenure locally: only the fence can stop it");
            Assert.That(b.FencingToken(Network), Is.EqualTo(taken.Token + 1), "every takeover increments the fencing token");
            Assert.That(await TryCommitAsync(connectionString, a, "a"), Is.False, "the fence in the commit transaction refuses the old writer");
            Assert.That(a.IsHeld(Network), Is.False, "a refused commit ends the tenure");
            Assert.That(await a.RenewAsync(Network, CancellationToken.None), Is.False);
            Assert.That(await TryCommitAsync(connectionString, b, "b"), Is.True);
            Assert.That(await WritersAsync(connectionString), Is.EqualTo(new[] { "b" }));
        });
    }

    [Test]
    public async Task RunAsync_HolderPartitionedFromTheDatabase_StopsBeforeTheStandbyTakesOverAndCommitsNothingUntilItHoldsAgain()
    {
        var connectionString = await NewStoreAsync();
        await using var proxy = TcpProxy.Start(_server.Port);
        var viaProxy = new NpgsqlConnectionStringBuilder(connectionString) { Port = proxy.Port }.ConnectionString;
        var length = TimeSpan.FromSeconds(6);
        await using var a = Leases(viaProxy, "a", length);
        await using var b = Leases(connectionString, "b", length);
        using var stopA = new CancellationTokenSource();
        using var stopB = new CancellationTokenSource();
        var runA = a.RunAsync([Network], stopA.Token);
        Assert.That(await WaitUntilAsync(() => Task.FromResult(a.IsHeld(Network)), TimeSpan.FromSeconds(10)), Is.True, "a takes the free lease");
        var tokenA = a.FencingToken(Network)!.Value;
        var runB = b.RunAsync([Network], stopB.Token);
        await using var sampler = Sampler.Start(a, b);
        await Task.Delay(TimeSpan.FromSeconds(2), TimeProvider.System);
        Assert.That(b.IsHeld(Network), Is.False, "the standby waits while a renews");

        var clock = Stopwatch.StartNew();
        var aStopped = TimeSpan.Zero;
        using var registration = a.HeldToken(Network).Register(() => aStopped = clock.Elapsed);
        proxy.Partition();
        var tookOver = await WaitUntilAsync(() => Task.FromResult(b.IsHeld(Network)), TimeSpan.FromSeconds(30));
        var takeover = clock.Elapsed;
        TestContext.Out.WriteLine($"partition: a stopped writing after {aStopped.TotalSeconds:F2} s, b took over after {takeover.TotalSeconds:F2} s (lease {length.TotalSeconds:F0} s)");

        Assert.Multiple(() =>
        {
            Assert.That(tookOver, Is.True);
            Assert.That(aStopped, Is.GreaterThan(TimeSpan.Zero).And.LessThan(takeover), "a stops writing before b can take the lease");
            Assert.That(aStopped, Is.LessThanOrEqualTo(length), "a stops within the lease time");
            Assert.That(takeover, Is.LessThan(length + TimeSpan.FromSeconds(4)));
            Assert.That(b.FencingToken(Network), Is.EqualTo(tokenA + 1));
        });

        // The partition heals: a reconnects but does not hold, so nothing it sends commits.
        proxy.Heal();
        var reconnected = proxy.Accepted;
        var reconnects = await WaitUntilAsync(() => Task.FromResult(proxy.Accepted > reconnected), length * 2);
        Assert.Multiple(async () =>
        {
            Assert.That(reconnects, Is.True, "a's lease loop reconnected through the healed proxy");
            Assert.That(a.IsHeld(Network), Is.False);
            Assert.That(await TryCommitAsync(viaProxy, a, "a"), Is.False, "the old writer commits nothing after it reconnects");
        });

        // b stops cleanly (releases): a holds again with a new token and may commit again.
        await stopB.CancelAsync();
        await runB;
        var retaken = await WaitUntilAsync(() => Task.FromResult(a.IsHeld(Network)), TimeSpan.FromSeconds(10));
        Assert.Multiple(async () =>
        {
            Assert.That(retaken, Is.True, "a released lease is taken at the next attempt, without waiting out its length");
            Assert.That(a.FencingToken(Network), Is.EqualTo(tokenA + 2));
            Assert.That(await TryCommitAsync(viaProxy, a, "a"), Is.True);
            Assert.That(await WritersAsync(connectionString), Is.EqualTo(new[] { "a" }), "only the write made while a held the lease again is stored");
            Assert.That(sampler.BothHeld, Is.Zero, $"both instances held {Network} at {sampler.BothHeld} of {sampler.Samples} samples");
        });

        await stopA.CancelAsync();
        await runA;
    }

    [Test]
    public async Task RunAsync_DatabaseKilledAndRestartedWhileBothRun_ExactlyOneHoldsAfterwardsNeverBoth()
    {
        var connectionString = await NewStoreAsync();
        var length = TimeSpan.FromSeconds(4);
        await using var a = Leases(connectionString, "a", length);
        await using var b = Leases(connectionString, "b", length);
        using var stop = new CancellationTokenSource();
        var runs = new[] { a.RunAsync([Network], stop.Token), b.RunAsync([Network], stop.Token) };
        await using var sampler = Sampler.Start(a, b);
        Assert.That(await WaitUntilAsync(() => Task.FromResult(a.IsHeld(Network) || b.IsHeld(Network)), TimeSpan.FromSeconds(10)), Is.True);

        await _server.KillAsync();
        await Task.Delay(length, TimeProvider.System);
        var heldDuringOutage = a.IsHeld(Network) || b.IsHeld(Network);
        await _server.RestartAsync();
        var clock = Stopwatch.StartNew();
        var held = await WaitUntilAsync(() => Task.FromResult(a.IsHeld(Network) || b.IsHeld(Network)), TimeSpan.FromSeconds(30));
        TestContext.Out.WriteLine($"database restart: a writer again {clock.Elapsed.TotalSeconds:F2} s after RestartAsync returned (the server accepts connections before it returns)");
        await Task.Delay(length, TimeProvider.System);

        Assert.Multiple(() =>
        {
            Assert.That(heldDuringOutage, Is.False, "nobody holds a lease it cannot renew for a whole lease length");
            Assert.That(held, Is.True, "both reconnect and one of them writes again");
            Assert.That(a.IsHeld(Network) ^ b.IsHeld(Network), Is.True, "exactly one holds");
            Assert.That(sampler.BothHeld, Is.Zero, $"both instances held {Network} at {sampler.BothHeld} of {sampler.Samples} samples");
        });

        await stop.CancelAsync();
        await Task.WhenAll(runs);
    }

    private static PostgresNetworkLeases Leases(string connectionString, string instance, TimeSpan length) =>
        new(new PostgresStorageSettings(connectionString), instance, TimeProvider.System, length: length);

    private async Task<string> NewStoreAsync()
    {
        var connectionString = await _server.CreateDatabaseAsync($"leases_{Interlocked.Increment(ref _databases)}");
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        PostgresMigrator.Apply(connection, TimeProvider.System);
        await using var create = new NpgsqlCommand("CREATE TABLE fenced_writes (writer text NOT NULL)", connection);
        await create.ExecuteNonQueryAsync();
        return connectionString;
    }

    /// <summary>A network write as the stores make it: insert, the fence right before COMMIT, commit. False when fenced off.</summary>
    private static async Task<bool> TryCommitAsync(string connectionString, PostgresNetworkLeases leases, string writer)
    {
        await using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(connectionString) { Timeout = 5, CommandTimeout = 5 }.ConnectionString);
        await connection.OpenAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        await using (var insert = new NpgsqlCommand("INSERT INTO fenced_writes (writer) VALUES (@w)", connection, transaction))
        {
            insert.Parameters.AddWithValue("w", writer);
            await insert.ExecuteNonQueryAsync();
        }

        try
        {
            await leases.EnsureHeldAsync(connection, transaction, Network, CancellationToken.None);
        }
        catch (NetworkLeaseLostException)
        {
            await transaction.RollbackAsync();
            return false;
        }

        await transaction.CommitAsync();
        return true;
    }

    private static async Task<IReadOnlyList<string>> WritersAsync(string connectionString)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var read = new NpgsqlCommand("SELECT writer FROM fenced_writes ORDER BY writer", connection);
        var writers = new List<string>();
        await using var reader = await read.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            writers.Add(reader.GetString(0));
        }

        return writers;
    }

    private static async Task<bool> WaitUntilAsync(Func<Task<bool>> condition, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < timeout)
        {
            try
            {
                if (await condition())
                {
                    return true;
                }
            }
            catch (NpgsqlException)
            {
                // The database is restarting; ask again.
            }

            await Task.Delay(TimeSpan.FromMilliseconds(50), TimeProvider.System);
        }

        return false;
    }

    /// <summary>Samples both instances' local view of the network every 20 ms.</summary>
    private sealed class Sampler : IAsyncDisposable
    {
        private readonly CancellationTokenSource _stop = new();
        private readonly ConcurrentQueue<(bool A, bool B)> _samples = new();
        private readonly Task _loop;

        private Sampler(PostgresNetworkLeases a, PostgresNetworkLeases b) => _loop = LoopAsync(a, b);

        public int Samples => _samples.Count;

        public int BothHeld => _samples.Count(s => s.A && s.B);

        public static Sampler Start(PostgresNetworkLeases a, PostgresNetworkLeases b) => new(a, b);

        public async ValueTask DisposeAsync()
        {
            await _stop.CancelAsync();
            await _loop;
            _stop.Dispose();
        }

        private async Task LoopAsync(PostgresNetworkLeases a, PostgresNetworkLeases b)
        {
            while (!_stop.IsCancellationRequested)
            {
                _samples.Enqueue((a.IsHeld(Network), b.IsHeld(Network)));
                try
                {
                    await Task.Delay(TimeSpan.FromMilliseconds(20), TimeProvider.System, _stop.Token);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }
}
