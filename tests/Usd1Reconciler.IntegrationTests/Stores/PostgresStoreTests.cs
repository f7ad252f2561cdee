using System.Data.Common;
using Dapper;
using Npgsql;
using Usd1Reconciler.Configuration;
using Usd1Reconciler.Core.Amounts;
using Usd1Reconciler.Core.Governance;
using Usd1Reconciler.Core.Ingest;
using Usd1Reconciler.Core.Networks;
using Usd1Reconciler.Core.Supply;
using Usd1Reconciler.IntegrationTests.Fixtures;
using Usd1Reconciler.Storage;
using Usd1Reconciler.Storage.Maintenance;
using Usd1Reconciler.Storage.Postgres;

namespace Usd1Reconciler.IntegrationTests.Stores;

/// <summary>
/// What only the PostgreSQL store has (issue 14.2): its migrator under concurrent starts and against a newer schema,
/// the network write fence seam called inside each commit, `db backup` refused naming pg_dump, and the password
/// kept out of every message, whatever fails.
/// </summary>
[TestFixture]
public sealed partial class PostgresStoreTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 25, 12, 0, 0, TimeSpan.Zero);
    private PostgresServer _server = null!;

    [OneTimeSetUp]
    public async Task StartServerAsync() => _server = await PostgresServer.StartAsync();

    [OneTimeTearDown]
    public async Task StopServerAsync() => await _server.DisposeAsync();

    private async Task<PostgresStorageSettings> NewDatabaseAsync() =>
        new(await _server.CreateDatabaseAsync($"pg_{Guid.NewGuid():N}"));

    [Test]
    public async Task Open_FourInstancesAtOnce_EachMigrationAppliedOnceAndEveryOpenSucceeds()
    {
        var settings = await NewDatabaseAsync();
        var opens = Enumerable.Range(0, 4).Select(_ => Task.Run(() => PostgresSupplyStore.Open(settings, TimeProvider.System))).ToList();
        var stores = await Task.WhenAll(opens);
        foreach (var store in stores)
        {
            await store.DisposeAsync();
        }

        await using var connection = new NpgsqlConnection(settings.ConnectionString);
        var versions = (await connection.QueryAsync<int>("SELECT version FROM schema_migrations ORDER BY version")).ToList();
        Assert.That(versions, Is.EqualTo(PostgresMigrator.KnownMigrations.Select(m => m.Version).ToList()),
            "the advisory lock serializes the instances: every migration is recorded exactly once");
    }

    [Test]
    public async Task Open_DatabaseWithANewerSchemaVersion_RefusedAndNothingApplied()
    {
        var settings = await NewDatabaseAsync();
        await PostgresSupplyStore.Open(settings, TimeProvider.System).DisposeAsync();
        await using (var connection = new NpgsqlConnection(settings.ConnectionString))
        {
            await connection.ExecuteAsync("INSERT INTO schema_migrations (version, name, applied_at) VALUES (9999, '9999_future.sql', now())");
        }

        var error = Assert.Throws<StoreSchemaException>(() => PostgresSupplyStore.Open(settings, TimeProvider.System));
        Assert.That(error!.Message, Does.Contain("9999").And.Contain("newer usd1rec"));

        var check = new PostgresStoreMaintenance(settings).Check();
        Assert.That(check.IsSound, Is.False, "`db check` reports a schema it does not know");
        Assert.That(check.Schema!.Unknown, Is.EqualTo(new[] { 9999 }));
    }

    [Test]
    public async Task Migrate_EmptyDatabase_AppliesEveryMigrationThenNothing()
    {
        var maintenance = new PostgresStoreMaintenance(await NewDatabaseAsync());
        var before = maintenance.Check();
        Assert.That(before.IsSound, Is.False, "an empty database is no store yet");

        var first = maintenance.Migrate(TimeProvider.System);
        var second = maintenance.Migrate(TimeProvider.System);

        Assert.That(first.AppliedNow, Is.EqualTo(PostgresMigrator.KnownMigrations.Select(m => m.Version).ToList()));
        Assert.That(second.AppliedNow, Is.Empty);
        Assert.That(second.Schema.IsCurrent, Is.True);
        Assert.That(maintenance.Check().IsSound, Is.True);
    }

    [Test]
    public async Task Backup_PostgresStore_RefusedNamingPgDump()
    {
        var maintenance = new PostgresStoreMaintenance(await NewDatabaseAsync());
        var error = Assert.Throws<NotSupportedException>(() => maintenance.Backup("/tmp/never-written.db"));
        Assert.That(error!.Message, Does.Contain("pg_dump"));
        Assert.That(File.Exists("/tmp/never-written.db"), Is.False);
    }

    [Test]
    public async Task Check_TotalsEditedBehindTheStoresBack_ReportedAsAProblem()
    {
        var settings = await NewDatabaseAsync();
        await using (var store = PostgresSupplyStore.Open(settings, TimeProvider.System))
        {
            var id = await store.RegisterNetworkAsync(new NetworkRegistration("eth", NetworkKind.Evm, 1, "0xtoken"), CancellationToken.None);
            await store.CommitBatchAsync(new IndexedBatch(id, [Event(1, "0xa", 10)], [], new ChainTip(1, "0xhash1"), Start) { FinalThrough = 1 }, CancellationToken.None);
        }

        var maintenance = new PostgresStoreMaintenance(settings);
        Assert.That(maintenance.Check().Problems, Is.Empty);
        await using (var connection = new NpgsqlConnection(settings.ConnectionString))
        {
            await connection.ExecuteAsync("UPDATE supply_totals SET minted = minted + 1");
        }

        Assert.That(maintenance.Check().Problems.Single(), Does.Contain("network eth").And.Contain("minted 11").And.Contain("minted 10"));
    }

    [Test]
    public async Task NetworkWriteFence_CalledInsideEachIndexCommit_AThrowingFenceRollsTheCommitBack()
    {
        var fence = new RecordingFence();
        await using var harness = await StoreUnderTest.CreateAsync(StorageProvider.Postgres, _server, Start, fence);
        var store = harness.Index;
        var id = await store.RegisterNetworkAsync(new NetworkRegistration("eth", NetworkKind.Evm, 1, "0xtoken"), CancellationToken.None);
        await store.CommitBatchAsync(new IndexedBatch(id, [Event(1, "0xa", 10)], [new BlockHeader(1, "0xhash1", "0xhash0", Start)], new ChainTip(1, "0xhash1"), Start), CancellationToken.None);
        await store.FinalizeAsync(id, 1, Start, CancellationToken.None);
        await store.RecordLedgerProofAsync(new LedgerProofReading(id, 1, new TokenAmount(10), 10, Start), CancellationToken.None);
        await store.TouchAsync(id, Start, CancellationToken.None);
        await store.RecordPassFailureAsync("eth", Start, "down", CancellationToken.None);
        Assert.That(fence.Calls, Is.EqualTo(new[] { "eth", "eth", "eth", "eth", "eth" }), "batch, finalization, proof, touch and pass state each check the fence");
        Assert.That(fence.SawOpenTransaction, Is.True, "the fence runs inside the write transaction, before it commits");

        fence.Refuse = true;
        var refused = Assert.ThrowsAsync<StoreUnavailableException>(() =>
            store.CommitBatchAsync(new IndexedBatch(id, [Event(2, "0xb", 5)], [], new ChainTip(2, "0xhash2"), Start), CancellationToken.None));
        Assert.That(refused!.Message, Does.Contain("lease of eth was taken"));
        Assert.That(await store.GetTipAsync(id, CancellationToken.None), Is.EqualTo(new ChainTip(1, "0xhash1")), "a refused commit leaves nothing behind");
        Assert.That(await store.GetEventsAsync(id, CancellationToken.None), Has.Count.EqualTo(1));
    }

    [Test]
    public async Task NetworkWriteFence_GovernanceChangesAndProof_CheckedInsideTheCommitAndRefusedWithoutTheLease()
    {
        var fence = new RecordingFence();
        await using var harness = await StoreUnderTest.CreateAsync(StorageProvider.Postgres, _server, Start, fence);
        var store = harness.Index;
        var governance = harness.Governance;
        var id = await store.RegisterNetworkAsync(new NetworkRegistration("eth", NetworkKind.Evm, 1, "0xtoken"), CancellationToken.None);
        await store.CommitBatchAsync(new IndexedBatch(id, [], [], new ChainTip(1, "0xhash1"), Start) { GovernanceChanges = [Paused(1, "0xa")] }, CancellationToken.None);
        await governance.RecordGovernanceProofAsync(new GovernanceProofReading("eth", -1, GovernanceProofStatus.Stale, [], "h", Start, "no final block yet"), CancellationToken.None);
        Assert.That(fence.Calls, Is.EqualTo(new[] { "eth", "eth" }), "a batch of privileged changes and a governance proof each check the fence");

        fence.Refuse = true;
        Assert.ThrowsAsync<StoreUnavailableException>(() =>
            store.CommitBatchAsync(new IndexedBatch(id, [], [], new ChainTip(2, "0xhash2"), Start) { GovernanceChanges = [Paused(2, "0xb")] }, CancellationToken.None));
        Assert.ThrowsAsync<StoreUnavailableException>(() =>
            governance.RecordGovernanceProofAsync(new GovernanceProofReading("eth", 1, GovernanceProofStatus.Mismatch, [new("paused", "true", "false")], "h2", Start), CancellationToken.None));
        Assert.ThrowsAsync<StoreUnavailableException>(() =>
            store.RollBackAsync(new ChainReorganization(id, 0, "0xhash0", 1, "0xhash1", "0xother1", Start, []), CancellationToken.None));

        Assert.That((await governance.GetGovernanceChangesAsync("eth", CancellationToken.None)).Select(c => c.TransactionId), Is.EqualTo(new[] { "0xa" }),
            "a writer without the lease neither adds a change nor removes one");
        Assert.That((await governance.GetGovernanceProofAsync("eth", CancellationToken.None))!.Status, Is.EqualTo(GovernanceProofStatus.Stale), "nor replaces the proof");
    }

    [Test]
    public async Task Password_WrongPasswordServerDownAndBadConfig_NeverInAnyMessage()
    {
        var settings = await NewDatabaseAsync();
        var password = _server.Password;
        var messages = new List<string>();

        var wrong = new PostgresStorageSettings(new NpgsqlConnectionStringBuilder(settings.ConnectionString) { Password = password + "x" }.ConnectionString);
        var refused = Assert.Throws<StoreUnavailableException>(() => PostgresSupplyStore.Open(wrong, TimeProvider.System));
        messages.Add(Describe(refused!));
        Assert.That(refused!.Message, Does.Contain(settings.Location), "the store is named by user, host, port and database");

        var harness = await StoreUnderTest.CreateAsync(StorageProvider.Postgres, _server, Start);
        var id = await harness.Index.RegisterNetworkAsync(new NetworkRegistration("eth", NetworkKind.Evm, 1, "0xtoken"), CancellationToken.None);
        await _server.KillAsync();
        try
        {
            var down = Assert.ThrowsAsync<StoreUnavailableException>(() =>
                harness.Index.CommitBatchAsync(new IndexedBatch(id, [Event(1, "0xa", 1)], [], new ChainTip(1, "0xhash1"), Start), CancellationToken.None));
            messages.Add(Describe(down!));
            messages.Add(Describe(Assert.Throws<StoreUnavailableException>(() => PostgresSupplyStore.Open(settings, TimeProvider.System))!));
            messages.AddRange(new PostgresStoreMaintenance(settings).Check().Problems);
            messages.Add(Describe(Assert.Throws<StoreUnavailableException>(() => new PostgresStoreMaintenance(settings).Migrate(TimeProvider.System))!));
        }
        finally
        {
            await harness.DisposeAsync();
            await _server.RestartAsync();
        }

        messages.Add(PostgresStorageSettings.Problem($"Host=127.0.0.1;Password={password};Databse=x") ?? "");
        messages.Add(PostgresStorageSettings.Problem($"Host=127.0.0.1;Password={password}") ?? "");
        messages.Add(settings.Location);
        Assert.That(messages, Has.All.Not.Empty);
        Assert.That(messages, Has.None.Contain(password), "issue 14.2: the password never appears in a message, log or exception text");
        Assert.That(settings.Location, Does.StartWith("postgresql://usd1rec@127.0.0.1:"));
    }

    private static GovernanceChange Paused(long block, string tx) =>
        new("eth", GovernanceChangeKind.Paused, "paused", null, "true", "0xadmin", block, "0xhash" + block, tx, 0, -1, Start);

    private static SupplyEvent Event(long block, string tx, long amount) =>
        new(SupplyEventKind.Mint, block, "0xhash" + block, tx, 0, SupplyEvent.TopLevel, "0xminter", "0xholder", new TokenAmount(amount), Start);

    // The whole chain, as a log line would render it (ToString includes inner exceptions and their messages).
    private static string Describe(Exception exception) => exception.ToString();

    private sealed class RecordingFence : INetworkWriteFence
    {
        public List<string> Calls { get; } = [];

        public bool SawOpenTransaction { get; private set; } = true;

        public bool Refuse { get; set; }

        public async ValueTask EnsureHeldAsync(DbConnection connection, DbTransaction transaction, string network, CancellationToken cancellationToken)
        {
            // Inside the transaction: the batch's own uncommitted cursor is visible here, and to nobody else.
            var open = await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM cursors", transaction: transaction);
            SawOpenTransaction &= open > 0 && transaction.Connection == connection;
            if (Refuse)
            {
                throw new StoreUnavailableException($"the writer lease of {network} was taken by another instance; this commit is refused");
            }

            Calls.Add(network);
        }
    }
}
