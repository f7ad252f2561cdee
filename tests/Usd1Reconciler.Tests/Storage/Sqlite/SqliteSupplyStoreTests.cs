using System.Numerics;
using Dapper;
using Microsoft.Data.Sqlite;
using Usd1Reconciler.Core.Amounts;
using Usd1Reconciler.Core.Ingest;
using Usd1Reconciler.Core.Networks;
using Usd1Reconciler.Core.Supply;
using Usd1Reconciler.Storage;
using Usd1Reconciler.Storage.Maintenance;
using Usd1Reconciler.Storage.Sqlite;

namespace Usd1Reconciler.Tests.Storage.Sqlite;

public sealed class SqliteSupplyStoreTests
{
    private string _directory = null!;
    private static readonly DateTimeOffset At = new(2026, 11, 25, 12, 0, 0, TimeSpan.Zero);

    [SetUp]
    public void SetUp() => _directory = Directory.CreateTempSubdirectory("usd1rec-store-").FullName;

    [TearDown]
    public void TearDown()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }

    private string DbPath => Path.Combine(_directory, "store.db");

    private static SupplyEvent Mint(long block, string tx, BigInteger amount, int position = 0) =>
        new(SupplyEventKind.Mint, block, "0xhash" + block, tx, position, SupplyEvent.TopLevel, "0xminter", "0xholder", new TokenAmount(amount), null);

    private static SupplyEvent Burn(long block, string tx, BigInteger amount) =>
        new(SupplyEventKind.Burn, block, "0xhash" + block, tx, 0, SupplyEvent.TopLevel, "0xburner", "0xholder", new TokenAmount(amount), null);

    private async Task<(SqliteSupplyStore Store, long Id)> OpenWithNetworkAsync()
    {
        var store = SqliteSupplyStore.Open(DbPath, TimeProvider.System);
        var id = await store.RegisterNetworkAsync(new NetworkRegistration("eth", NetworkKind.Evm, 1, "0xtoken"), CancellationToken.None);
        return (store, id);
    }

    [Test]
    public async Task CommitBatch_DuplicateEventKey_WholeBatchRolledBackAndTipUnchanged()
    {
        var (store, id) = await OpenWithNetworkAsync();
        await store.CommitBatchAsync(new IndexedBatch(id, [Mint(1, "0xa", 5)], [], new ChainTip(1, "0xhash1"), At), CancellationToken.None);

        var duplicate = new IndexedBatch(id, [Mint(2, "0xb", 7), Mint(1, "0xa", 5)], [], new ChainTip(2, "0xhash2"), At);
        Assert.ThrowsAsync<SqliteException>(() => store.CommitBatchAsync(duplicate, CancellationToken.None));

        Assert.That(await store.GetTipAsync(id, CancellationToken.None), Is.EqualTo(new ChainTip(1, "0xhash1")));
        Assert.That((await store.GetEventsAsync(id, CancellationToken.None)).Select(e => e.Event.TransactionId), Is.EqualTo(new[] { "0xa" }),
            "the batch's first, valid event must not survive its failed commit");
    }

    [Test]
    public async Task CommitBatch_FinalThrough_EarlierProvisionalAndNewEventsFoldedOnceInOneTransaction()
    {
        var (store, id) = await OpenWithNetworkAsync();
        // A provisional event from an earlier pass, then a backfill batch wholly below the final block.
        await store.CommitBatchAsync(new IndexedBatch(id, [Mint(1, "0xa", 5)], [], new ChainTip(1, "0xhash1"), At), CancellationToken.None);
        var wide = Enumerable.Range(0, 70).Select(i => Mint(2, "0xwide", 1, position: i)).Append(Burn(3, "0xc", 2)).ToList();
        await store.CommitBatchAsync(new IndexedBatch(id, wide, [], new ChainTip(3, "0xhash3"), At) { FinalThrough = 3 }, CancellationToken.None);

        var supply = (await store.GetSupplyAsync(CancellationToken.None)).Single();
        Assert.That(supply.FinalBlock, Is.EqualTo(3));
        Assert.That((supply.FinalMints, supply.FinalBurns), Is.EqualTo((71L, 1L)), "70 rows through the wide insert, the earlier provisional one folded too");
        Assert.That(supply.IndexedSupply, Is.EqualTo(new BigInteger(5 + 70 - 2)));
        Assert.That(supply.ProvisionalSupply, Is.EqualTo(supply.IndexedSupply), "nothing stays provisional");
        Assert.That((await store.GetEventsAsync(id, CancellationToken.None)).All(e => e.IsFinal), Is.True);

        // Finalizing again through the same block must not fold anything twice.
        await store.FinalizeAsync(id, 3, At, CancellationToken.None);
        Assert.That((await store.GetSupplyAsync(CancellationToken.None)).Single().IndexedSupply, Is.EqualTo(new BigInteger(73)));
    }

    [Test]
    public async Task CommitBatch_DuplicateKeyInsideAWideInsert_WholeBatchRolledBack()
    {
        var (store, id) = await OpenWithNetworkAsync();
        var batch = Enumerable.Range(0, 40).Select(i => Mint(2, "0xwide", 1, position: i)).Append(Mint(2, "0xwide", 1, position: 3)).ToList();
        Assert.ThrowsAsync<SqliteException>(() => store.CommitBatchAsync(new IndexedBatch(id, batch, [], new ChainTip(2, "0xhash2"), At) { FinalThrough = 2 }, CancellationToken.None));
        Assert.That(await store.GetTipAsync(id, CancellationToken.None), Is.Null);
        Assert.That(await store.GetEventsAsync(id, CancellationToken.None), Is.Empty);
        Assert.That((await store.GetSupplyAsync(CancellationToken.None)).Single().IndexedSupply, Is.EqualTo(BigInteger.Zero), "the totals roll back with the events");
    }

    [Test]
    public async Task Open_NewStoreGetsLargePages_ExistingStoreKeepsItsOwnAndStillWorks()
    {
        var (store, id) = await OpenWithNetworkAsync();
        await store.CommitBatchAsync(new IndexedBatch(id, [Mint(1, "0xa", 5)], [], new ChainTip(1, "0xhash1"), At), CancellationToken.None);
        Assert.That(PageSize(DbPath), Is.EqualTo(16384));

        // A store made before the page size was set (SQLite's default 4 KiB, already in WAL mode) opens unchanged.
        var old = Path.Combine(_directory, "old.db");
        using (var connection = new SqliteConnection($"Data Source={old}"))
        {
            connection.Open();
            connection.Execute("PRAGMA page_size = 4096; PRAGMA journal_mode = WAL; CREATE TABLE t (x); DROP TABLE t;");
        }

        var reopened = SqliteSupplyStore.Open(old, TimeProvider.System);
        var oldId = await reopened.RegisterNetworkAsync(new NetworkRegistration("eth", NetworkKind.Evm, 1, "0xtoken"), CancellationToken.None);
        await reopened.CommitBatchAsync(new IndexedBatch(oldId, [Mint(1, "0xa", 5)], [], new ChainTip(1, "0xhash1"), At) { FinalThrough = 1 }, CancellationToken.None);
        Assert.That(PageSize(old), Is.EqualTo(4096));
        Assert.That((await reopened.GetSupplyAsync(CancellationToken.None)).Single().IndexedSupply, Is.EqualTo(new BigInteger(5)));
    }

    private static long PageSize(string path)
    {
        using var connection = new SqliteConnection($"Data Source={path};Mode=ReadOnly");
        connection.Open();
        return connection.ExecuteScalar<long>("PRAGMA page_size");
    }

    [Test]
    public async Task CommitBatch_WideInsertsWithRepeatedAndChangingText_EveryColumnStoredAsGiven()
    {
        // The insert re-encodes a text column only when a new string instance arrives: rows that share, alternate and
        // change values (and amounts either side of long.MaxValue, up to 2^256-1) must all read back exactly.
        var (store, id) = await OpenWithNetworkAsync();
        var amounts = new[] { BigInteger.Zero, BigInteger.One, long.MaxValue, (BigInteger)long.MaxValue + 1, ulong.MaxValue, TokenAmount.MaxValue };
        var sharedTx = "0x" + new string('a', 64);
        var holders = new[] { "0xholder-a", "0xholder-b", "0xholder-é" };
        var time = new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero);
        var batch = Enumerable.Range(0, 75).Select(i => new SupplyEvent(
            i % 4 == 0 ? SupplyEventKind.Burn : SupplyEventKind.Mint,
            7 + (i / 30),
            "0xblock" + (7 + (i / 30)),
            i < 40 ? sharedTx : "0xtx" + i,
            i,
            SupplyEvent.TopLevel,
            i % 3 == 0 ? null : "0xactor" + (i % 2),
            holders[i % holders.Length],
            new TokenAmount(amounts[i % amounts.Length]),
            i % 5 == 0 ? null : time.AddSeconds(i / 30))).ToList();
        await store.CommitBatchAsync(new IndexedBatch(id, batch, [], new ChainTip(9, "0xblock9"), At), CancellationToken.None);

        var stored = (await store.GetEventsAsync(id, CancellationToken.None)).Select(e => e.Event).OrderBy(e => e.Position).ToList();
        Assert.That(stored, Is.EqualTo(batch));
    }

    [Test]
    public async Task Finalize_RunningTotalsBeyondTwoTo256_ExactAndNeverBackwards()
    {
        var (store, id) = await OpenWithNetworkAsync();
        await store.CommitBatchAsync(new IndexedBatch(id, [Mint(1, "0xa", TokenAmount.MaxValue), Mint(2, "0xb", TokenAmount.MaxValue), Burn(3, "0xc", 1)], [], new ChainTip(3, "0xhash3"), At), CancellationToken.None);

        await store.FinalizeAsync(id, 2, At, CancellationToken.None);
        var afterTwo = (await store.GetSupplyAsync(CancellationToken.None)).Single();
        Assert.That(afterTwo.IndexedSupply, Is.EqualTo(TokenAmount.MaxValue * 2), "sums of uint256 amounts exceed 2^256 and must stay exact");
        Assert.That(afterTwo.ProvisionalSupply, Is.EqualTo((TokenAmount.MaxValue * 2) - 1));

        await store.FinalizeAsync(id, 1, At, CancellationToken.None);
        Assert.That((await store.GetSupplyAsync(CancellationToken.None)).Single().FinalBlock, Is.EqualTo(2), "finality never moves backwards");

        await store.FinalizeAsync(id, 3, At, CancellationToken.None);
        var all = (await store.GetSupplyAsync(CancellationToken.None)).Single();
        Assert.That((all.FinalMints, all.FinalBurns, all.IndexedSupply), Is.EqualTo((2L, 1L, (TokenAmount.MaxValue * 2) - 1)));
        Assert.That(await store.GetFinalSupplyAtAsync(id, 3, CancellationToken.None), Is.EqualTo(all.IndexedSupply), "running totals must equal a full rescan");
    }

    [Test]
    public async Task RollBack_RangeAboveAncestor_RemovesEventsHeadersAndRecordsReorg()
    {
        var (store, id) = await OpenWithNetworkAsync();
        var headers = new[] { new BlockHeader(1, "0xh1", "0xh0", At), new BlockHeader(2, "0xh2", "0xh1", At), new BlockHeader(3, "0xh3", "0xh2", At) };
        await store.CommitBatchAsync(new IndexedBatch(id, [Mint(1, "0xa", 1), Mint(2, "0xb", 2), Mint(3, "0xc", 3)], headers, new ChainTip(3, "0xh3"), At), CancellationToken.None);

        var removed = await store.RollBackAsync(new ChainReorganization(id, 1, "0xh1", 2, "0xh3", "0xh3'", At, []), CancellationToken.None);

        Assert.That(removed, Is.EqualTo(2));
        Assert.That(await store.GetTipAsync(id, CancellationToken.None), Is.EqualTo(new ChainTip(1, "0xh1")));
        Assert.That(await store.GetBlockAsync(id, 2, CancellationToken.None), Is.Null);
        Assert.That((await store.GetSupplyAsync(CancellationToken.None)).Single().Reorgs, Is.EqualTo(1));
    }

    [Test]
    public async Task RollBack_WouldRemoveFinalEvents_RefusedAndNothingChanges()
    {
        var (store, id) = await OpenWithNetworkAsync();
        await store.CommitBatchAsync(new IndexedBatch(id, [Mint(5, "0xa", 1)], [], new ChainTip(5, "0xh5"), At), CancellationToken.None);
        await store.FinalizeAsync(id, 5, At, CancellationToken.None);

        Assert.ThrowsAsync<InvalidOperationException>(() => store.RollBackAsync(new ChainReorganization(id, 4, "0xh4", 1, "0xh5", "x", At, []), CancellationToken.None));

        Assert.That(await store.GetEventsAsync(id, CancellationToken.None), Has.Count.EqualTo(1));
        Assert.That((await store.GetSupplyAsync(CancellationToken.None)).Single().Reorgs, Is.Zero);
    }

    [Test]
    public async Task RollBack_BySignature_RemovesOnlyThoseProvisionalEvents()
    {
        var (store, id) = await OpenWithNetworkAsync();
        await store.CommitBatchAsync(new IndexedBatch(id, [Mint(5, "sigA", 1), Mint(6, "sigB", 2), Mint(7, "sigC", 3)], [], new ChainTip(7, "sigC"), At), CancellationToken.None);

        var removed = await store.RollBackAsync(new ChainReorganization(id, 7, "sigC", 1, "sigC", "", At, [new RemovedTransaction(6, "sigB")]), CancellationToken.None);

        Assert.That(removed, Is.EqualTo(1));
        Assert.That((await store.GetEventsAsync(id, CancellationToken.None)).Select(e => e.Event.TransactionId), Is.EqualTo(new[] { "sigA", "sigC" }));
    }

    [Test]
    public async Task RegisterNetwork_SameNameOtherChain_Refused()
    {
        var (store, _) = await OpenWithNetworkAsync();
        var ex = Assert.ThrowsAsync<NetworkIdentityMismatchException>(() =>
            store.RegisterNetworkAsync(new NetworkRegistration("eth", NetworkKind.Evm, 10, "0xtoken"), CancellationToken.None));
        Assert.That(ex!.Message, Does.Contain("'eth'").And.Contain("chain id 1").And.Contain("chain id 10"));
    }

    [Test]
    public void Open_TwiceOnSameFile_MigrationsAppliedOnce()
    {
        SqliteSupplyStore.Open(DbPath, TimeProvider.System);
        SqliteSupplyStore.Open(DbPath, TimeProvider.System);
        using var connection = new SqliteConnection($"Data Source={DbPath}");
        connection.Open();
        Assert.That(connection.ExecuteScalar<long>("SELECT COUNT(*) FROM schema_migrations"), Is.EqualTo(SqliteMigrator.KnownMigrations.Count));
        Assert.That(connection.ExecuteScalar<string>("PRAGMA journal_mode"), Is.EqualTo("wal"));
    }

    [Test]
    public void Open_SchemaFromNewerRelease_RefusedWithAdvice()
    {
        SqliteSupplyStore.Open(DbPath, TimeProvider.System);
        using (var connection = new SqliteConnection($"Data Source={DbPath}"))
        {
            connection.Open();
            connection.Execute("INSERT INTO schema_migrations (version, name, applied_at) VALUES (999, 'future', 'x')");
        }

        SqliteConnection.ClearAllPools();
        var ex = Assert.Throws<StoreSchemaException>(() => SqliteSupplyStore.Open(DbPath, TimeProvider.System));
        Assert.That(ex!.Message, Does.Contain("schema version 999").And.Contain("newer usd1rec"));
    }

    [Test]
    public void Open_FileIsNotADatabase_ClearErrorAndFileUntouched()
    {
        var garbage = Enumerable.Range(0, 8192).Select(i => (byte)(i * 7)).ToArray();
        File.WriteAllBytes(DbPath, garbage);

        var ex = Assert.Throws<StoreSchemaException>(() => SqliteSupplyStore.Open(DbPath, TimeProvider.System));

        Assert.That(ex!.Message, Does.Contain("damaged or not an SQLite database").And.Contain("backup"));
        Assert.That(File.ReadAllBytes(DbPath), Is.EqualTo(garbage), "a damaged store is reported, never overwritten");
    }

    [Test]
    public async Task Open_DamagedPageOutsideTheSchema_OpensWithoutTheFullCheckAndDbCheckFindsTheDamage()
    {
        var (store, id) = await OpenWithNetworkAsync();
        var events = Enumerable.Range(0, 3000).Select(i => Mint(1 + (i / 10), $"0x{i:x6}", 1_000_000 + i, position: i % 10)).ToList();
        await store.CommitBatchAsync(new IndexedBatch(id, events, [], new ChainTip(300, "0xhash300"), At) { FinalThrough = 300 }, CancellationToken.None);
        var supplyBefore = (await store.GetSupplyAsync(CancellationToken.None)).Single().IndexedSupply;
        Checkpoint(DbPath);
        // The root page of the events table: every read of an event goes through it, opening reads none.
        var eventsRoot = PageOf(DbPath, "supply_events");
        Assert.That(eventsRoot.Offset, Is.GreaterThan(0), "precondition: not page 1, which opening reads");
        Scribble(DbPath, eventsRoot.Offset, eventsRoot.Size);

        // quick_check (which opening ran before) reads every page and would refuse this store: opening now does not.
        var reopened = SqliteSupplyStore.Open(DbPath, TimeProvider.System);
        var check = SqliteMaintenance.Check(DbPath);

        Assert.Multiple(() =>
        {
            Assert.That(check.IsSound, Is.False, "the full check (`usd1rec db check`, the integrity job) finds the damage");
            Assert.That(check.Problems, Is.Not.Empty);
        });
        Assert.That((await reopened.GetSupplyAsync(CancellationToken.None)).Single().IndexedSupply, Is.EqualTo(supplyBefore),
            "supply reads the running totals, not the damaged event pages");
    }

    [Test]
    public async Task Open_DamagedSchemaPage_RefusedNamingTheStore()
    {
        await OpenWithNetworkAsync();
        Checkpoint(DbPath);
        // Page 1 after its 100-byte file header holds sqlite_master, which every open reads.
        Scribble(DbPath, 100, 4000);

        var ex = Assert.Throws<StoreSchemaException>(() => SqliteSupplyStore.Open(DbPath, TimeProvider.System));

        Assert.That(ex!.Message, Does.Contain(DbPath).And.Contain("damaged").And.Contain("backup"), "the refusal names the file and what to do");
    }

    [Test]
    public async Task Open_AfterDamageOnRead_IsDamageRecognisesTheSqliteError()
    {
        var (store, id) = await OpenWithNetworkAsync();
        await store.CommitBatchAsync(new IndexedBatch(id, [Mint(1, "0xa", 5)], [], new ChainTip(1, "0xhash1"), At), CancellationToken.None);
        Checkpoint(DbPath);
        var page = PageOf(DbPath, "supply_totals");
        Scribble(DbPath, page.Offset, page.Size);

        var reopened = SqliteSupplyStore.Open(DbPath, TimeProvider.System);
        var ex = Assert.CatchAsync(() => reopened.GetSupplyAsync(CancellationToken.None));

        Assert.That(SqliteSupplyStore.IsDamage(ex!), Is.True, $"callers (the supply command) turn this into a message naming the store: {ex!.Message}");
    }

    /// <summary>Checkpoints the WAL into the file and closes every handle, so that bytes written to the file are what SQLite reads.</summary>
    private static void Checkpoint(string path)
    {
        using (var connection = new SqliteConnection($"Data Source={path};Pooling=False"))
        {
            connection.Open();
            connection.Execute("PRAGMA wal_checkpoint(TRUNCATE)");
        }

        SqliteConnection.ClearAllPools();
    }

    private static (long Offset, int Size) PageOf(string path, string table)
    {
        using var connection = new SqliteConnection($"Data Source={path};Mode=ReadOnly;Pooling=False");
        connection.Open();
        var root = connection.ExecuteScalar<long>("SELECT rootpage FROM sqlite_master WHERE name = @table", new { table });
        var size = connection.ExecuteScalar<long>("PRAGMA page_size");
        return ((root - 1) * size, (int)size);
    }

    private static void Scribble(string path, long offset, int length)
    {
        using var file = new FileStream(path, FileMode.Open, FileAccess.Write);
        file.Position = offset;
        file.Write(Enumerable.Repeat((byte)0xA5, length).ToArray());
    }
}
