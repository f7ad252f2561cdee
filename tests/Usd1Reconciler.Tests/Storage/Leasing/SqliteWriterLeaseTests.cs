using Dapper;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Time.Testing;
using Usd1Reconciler.Storage.Leasing;
using Usd1Reconciler.Storage.Sqlite;

namespace Usd1Reconciler.Tests.Storage.Leasing;

public sealed class SqliteWriterLeaseTests
{
    private static readonly DateTimeOffset Start = new(2026, 12, 1, 10, 0, 0, TimeSpan.Zero);
    private string _directory = null!;

    [SetUp]
    public void SetUp() => _directory = Directory.CreateTempSubdirectory("usd1rec-lease-").FullName;

    [TearDown]
    public void TearDown()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }

    private string DbPath => Path.Combine(_directory, "store.db");

    private void Plant(long pid, string? processStart, string host, DateTimeOffset heartbeat)
    {
        using var connection = new SqliteConnection($"Data Source={DbPath};Pooling=False");
        connection.Open();
        connection.Execute(SqliteWriterLease.TableDefinition);
        connection.Execute(
            "INSERT OR REPLACE INTO writer_lease (id, token, pid, process_start, host, verb, since, heartbeat) VALUES (1, 'other', @pid, @processStart, @host, 'run', @at, @at)",
            new { pid, processStart, host, at = heartbeat.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", System.Globalization.CultureInfo.InvariantCulture) });
    }

    [Test]
    public async Task Acquire_FreshStoreThenSecondWriter_SecondRefusedNamingTheFirst()
    {
        var time = new FakeTimeProvider(Start);
        var lease = new SqliteWriterLease(DbPath, time);
        await using var held = await lease.AcquireAsync("run", CancellationToken.None);

        var refused = Assert.ThrowsAsync<WriterLeaseHeldException>(() => new SqliteWriterLease(DbPath, time).AcquireAsync("index", CancellationToken.None));

        Assert.That(refused!.Message, Does.StartWith($"store {DbPath} is being written by `usd1rec run` (pid {Environment.ProcessId} on {Environment.MachineName}) since 2026-12-01T10:00:00Z"));
        Assert.That(held.TookOverFrom, Is.Null, "the lease of a new store was free");
    }

    [Test]
    public async Task Acquire_EightWritersAtOnceOnANewStore_ExactlyOneWins()
    {
        var time = new FakeTimeProvider(Start);
        using var go = new ManualResetEventSlim();
        var attempts = Enumerable.Range(0, 8).Select(i => Task.Run(async () =>
        {
            go.Wait();
            try
            {
                return await new SqliteWriterLease(DbPath, time).AcquireAsync($"writer-{i}", CancellationToken.None);
            }
            catch (WriterLeaseHeldException)
            {
                return null;
            }
        })).ToList();

        go.Set();
        var held = (await Task.WhenAll(attempts)).Where(h => h is not null).ToList();

        Assert.That(held, Has.Count.EqualTo(1), "the check and the claim are one write transaction: no two writers can both find the lease free");
        Assert.That((await new SqliteWriterLease(DbPath, time).GetHolderAsync(CancellationToken.None))?.Verb, Is.EqualTo(held[0]!.Holder.Verb));
        await held[0]!.DisposeAsync();
    }

    [Test]
    public async Task Dispose_HeldLease_ReleasedForTheNextWriter()
    {
        var time = new FakeTimeProvider(Start);
        var lease = new SqliteWriterLease(DbPath, time);
        await (await lease.AcquireAsync("index", CancellationToken.None)).DisposeAsync();

        Assert.That(await lease.GetHolderAsync(CancellationToken.None), Is.Null);
        await using var next = await lease.AcquireAsync("reconcile", CancellationToken.None);
        Assert.That(next.TookOverFrom, Is.Null, "a released lease is free, not taken over");
    }

    [Test]
    public void Acquire_OtherHostWithFreshHeartbeat_Refused()
    {
        var time = new FakeTimeProvider(Start);
        Plant(4242, null, "host-a", Start.AddSeconds(-30));

        var refused = Assert.ThrowsAsync<WriterLeaseHeldException>(() => new SqliteWriterLease(DbPath, time).AcquireAsync("index", CancellationToken.None));

        Assert.That(refused!.Holder, Is.EqualTo(new WriterLeaseHolder(4242, null, "host-a", "run", Start.AddSeconds(-30), Start.AddSeconds(-30))));
    }

    [Test]
    public async Task Acquire_OtherHostWithHeartbeatOlderThanStaleAfter_TakenOver()
    {
        var time = new FakeTimeProvider(Start);
        Plant(4242, null, "host-a", Start.AddMinutes(-3));

        await using var held = await new SqliteWriterLease(DbPath, time).AcquireAsync("index", CancellationToken.None);

        Assert.That(held.TookOverFrom?.Host, Is.EqualTo("host-a"));
        Assert.That((await new SqliteWriterLease(DbPath, time).GetHolderAsync(CancellationToken.None))?.Verb, Is.EqualTo("index"));
    }

    [Test]
    public async Task Acquire_SameHostPidAliveButStartedAtAnotherTime_TakenOverAsReusedPid()
    {
        var time = new FakeTimeProvider(Start);
        // Heartbeat fresh: on this host liveness is decided by /proc, not by the heartbeat.
        Plant(Environment.ProcessId, LocalProcess.Namespace + "/1", Environment.MachineName, Start);

        await using var held = await new SqliteWriterLease(DbPath, time).AcquireAsync("index", CancellationToken.None);

        Assert.That(held.TookOverFrom?.Pid, Is.EqualTo(Environment.ProcessId));
    }

    [Test]
    public void Acquire_SameHostNameButAnotherBootOrPidNamespaceWithFreshHeartbeat_Refused()
    {
        // Another container on the same volume and host name: its pid means nothing here, its heartbeat decides.
        Plant(Environment.ProcessId + 100_000, "other-boot:pid:[1]/5", Environment.MachineName, Start.AddSeconds(-20));

        Assert.ThrowsAsync<WriterLeaseHeldException>(() => new SqliteWriterLease(DbPath, new FakeTimeProvider(Start)).AcquireAsync("index", CancellationToken.None));
    }

    [Test]
    public async Task Acquire_ThisProcessAsRecordedByItself_Refused()
    {
        await using var held = await new SqliteWriterLease(DbPath, new FakeTimeProvider(Start)).AcquireAsync("run", CancellationToken.None);

        Assert.That(held.Holder.ProcessStart, Does.StartWith(LocalProcess.Namespace + "/"));
        Assert.ThrowsAsync<WriterLeaseHeldException>(() => new SqliteWriterLease(DbPath, new FakeTimeProvider(Start.AddHours(1))).AcquireAsync("index", CancellationToken.None),
            "a live holder on this host is refused however old its heartbeat (a paused process still holds its lease)");
    }

    [Test]
    public async Task Renewal_RowTakenByAnotherProcess_LostIsCancelled()
    {
        var time = new FakeTimeProvider(Start);
        var lease = new SqliteWriterLease(DbPath, time) { RenewEvery = TimeSpan.FromSeconds(10) };
        await using var held = await lease.AcquireAsync("run", CancellationToken.None);
        Plant(4242, null, "host-b", Start);

        time.Advance(TimeSpan.FromSeconds(11));
        var lost = new TaskCompletionSource();
        using var registration = held.Lost.Register(lost.SetResult);
        await lost.Task.WaitAsync(TimeSpan.FromSeconds(30), TimeProvider.System);

        Assert.That(held.Lost.IsCancellationRequested, Is.True, "a holder that finds the row naming someone else must stop writing");
    }

    [Test]
    public async Task Renewal_HeldLease_HeartbeatAdvances()
    {
        var time = new FakeTimeProvider(Start);
        var lease = new SqliteWriterLease(DbPath, time) { RenewEvery = TimeSpan.FromSeconds(10) };
        await using var held = await lease.AcquireAsync("run", CancellationToken.None);

        time.Advance(TimeSpan.FromSeconds(10));
        WriterLeaseHolder? holder = null;
        for (var i = 0; i < 200 && holder?.Heartbeat != Start.AddSeconds(10); i++)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(50), TimeProvider.System, CancellationToken.None);
            holder = await lease.GetHolderAsync(CancellationToken.None);
        }

        Assert.That(holder?.Heartbeat, Is.EqualTo(Start.AddSeconds(10)));
        Assert.That(holder?.Since, Is.EqualTo(Start), "renewal moves the heartbeat, never the since");
    }

    [Test]
    public async Task Migrate_AfterLeaseCreatedItsTable_SameTableAsMigration0005()
    {
        await using (await new SqliteWriterLease(DbPath, new FakeTimeProvider(Start)).AcquireAsync("db migrate", CancellationToken.None))
        {
            SqliteSupplyStore.Open(DbPath, TimeProvider.System);
        }

        var fresh = Path.Combine(_directory, "fresh.db");
        SqliteSupplyStore.Open(fresh, TimeProvider.System);
        Assert.That(Columns(DbPath), Is.EqualTo(Columns(fresh)), "the lease's own CREATE TABLE and migration 0005 must define the same table");
        Assert.That(Columns(fresh), Is.Not.Empty);
    }

    private static List<string> Columns(string path)
    {
        using var connection = new SqliteConnection($"Data Source={path};Mode=ReadOnly;Pooling=False");
        connection.Open();
        return connection.Query<(string Name, string Type, long NotNull)>("SELECT name, type, \"notnull\" FROM pragma_table_info('writer_lease')")
            .Select(c => $"{c.Name} {c.Type} {c.NotNull}").ToList();
    }
}
