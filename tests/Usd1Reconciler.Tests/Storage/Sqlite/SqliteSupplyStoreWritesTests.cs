using System.Numerics;
using Dapper;
using Microsoft.Data.Sqlite;
using Usd1Reconciler.Core.Amounts;
using Usd1Reconciler.Core.Governance;
using Usd1Reconciler.Core.Ingest;
using Usd1Reconciler.Core.Networks;
using Usd1Reconciler.Core.Supply;
using Usd1Reconciler.Storage.Sqlite;

namespace Usd1Reconciler.Tests.Storage.Sqlite;

/// <summary>
/// The rollback of dropped Solana signatures (issue 18): the rows are found by slot and signature through the
/// block-led key, the guard still refuses a final row, and a signature claimed at the wrong slot never costs final
/// history.
/// </summary>
public sealed class SqliteSupplyStoreWritesTests
{
    private static readonly DateTimeOffset At = new(2026, 12, 2, 12, 0, 0, TimeSpan.Zero);
    private string _directory = null!;

    [SetUp]
    public void SetUp() => _directory = Directory.CreateTempSubdirectory("usd1rec-rollback-").FullName;

    [TearDown]
    public void TearDown()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }

    private string DbPath => Path.Combine(_directory, "store.db");

    private static SupplyEvent Mint(long slot, string signature, BigInteger amount, int subPosition = SupplyEvent.TopLevel) =>
        new(SupplyEventKind.Mint, slot, "bh" + slot, signature, 0, subPosition, null, "Holder1", new TokenAmount(amount), null);

    private static GovernanceChange Freeze(long slot, string signature, string account) =>
        new("sol", GovernanceChangeKind.AccountFrozen, account, "false", "true", "FreezeKey", slot, "bh" + slot, signature, 0, SupplyEvent.TopLevel, null);

    private async Task<(SqliteSupplyStore Store, long Id)> OpenAsync()
    {
        var store = SqliteSupplyStore.Open(DbPath, TimeProvider.System);
        var id = await store.RegisterNetworkAsync(new NetworkRegistration("sol", NetworkKind.Solana, null, "Mint111"), CancellationToken.None);
        return (store, id);
    }

    /// <summary>
    /// Slot 100 final (sigA); slot 101 holds sigB (two instructions' events and a freeze) and sigC; slot 102 holds sigD
    /// and the governance-only sigE (no supply event at all); slot 103 a freeze of sigF.
    /// </summary>
    private static async Task SeedAsync(SqliteSupplyStore store, long id)
    {
        await store.CommitBatchAsync(new IndexedBatch(id, [Mint(100, "sigA", 1)], [], new ChainTip(100, "sigA"), At) { FinalThrough = 100 }, CancellationToken.None);
        await store.CommitBatchAsync(
            new IndexedBatch(id, [Mint(101, "sigB", 2), Mint(101, "sigB", 3, subPosition: 0), Mint(101, "sigC", 4), Mint(102, "sigD", 5)], [], new ChainTip(103, "sigF"), At)
            {
                GovernanceChanges = [Freeze(101, "sigB", "Account1"), Freeze(102, "sigE", "Account2"), Freeze(103, "sigF", "Account3")],
            },
            CancellationToken.None);
    }

    [Test]
    public async Task RollBack_BySignatureAtTheirSlots_OnlyThoseSignaturesRowsRemovedOthersOfTheSlotsKept()
    {
        var (store, id) = await OpenAsync();
        await SeedAsync(store, id);

        var removed = await store.RollBackAsync(
            new ChainReorganization(id, 103, "sigF", 2, "sigF", string.Empty, At, [new RemovedTransaction(101, "sigB"), new RemovedTransaction(102, "sigE")]),
            CancellationToken.None);

        var events = (await store.GetEventsAsync(id, CancellationToken.None)).Select(e => e.Event.TransactionId);
        var changes = (await store.GetGovernanceChangesAsync("sol", CancellationToken.None)).Select(c => c.TransactionId);
        var reorgs = (await store.GetSupplyAsync(CancellationToken.None)).Single().Reorgs;
        Assert.Multiple(() =>
        {
            Assert.That(removed, Is.EqualTo(2), "sigB's two events; sigE has none");
            Assert.That(events, Is.EqualTo(new[] { "sigA", "sigC", "sigD" }), "sigC shares slot 101 with sigB and stays");
            Assert.That(changes, Is.EqualTo(new[] { "sigF" }), "sigB's freeze and the governance-only sigE went with the rollback");
            Assert.That(reorgs, Is.EqualTo(1));
        });
    }

    [Test]
    public async Task RollBack_BySignatureWithAFinalEventAtItsSlot_RefusedAndNothingChanged()
    {
        var (store, id) = await OpenAsync();
        await SeedAsync(store, id);

        var error = Assert.ThrowsAsync<InvalidOperationException>(() => store.RollBackAsync(
            new ChainReorganization(id, 103, "sigF", 2, "sigF", string.Empty, At, [new RemovedTransaction(100, "sigA"), new RemovedTransaction(101, "sigB")]),
            CancellationToken.None));

        Assert.That(error!.Message, Does.Contain("would remove 1 final events"));
        Assert.That(await store.GetEventsAsync(id, CancellationToken.None), Has.Count.EqualTo(5), "sigB's provisional events stay too: the whole rollback is undone");
        Assert.That(await store.GetGovernanceChangesAsync("sol", CancellationToken.None), Has.Count.EqualTo(3));
        Assert.That((await store.GetSupplyAsync(CancellationToken.None)).Single().Reorgs, Is.Zero);
    }

    [Test]
    public async Task RollBack_BySignatureClaimedAtAnotherSlotThanItsFinalEvent_FinalEventKeptAndNothingRemoved()
    {
        // The store finds rows by the claimed slot; a wrong claim can remove too little, never final history.
        var (store, id) = await OpenAsync();
        await SeedAsync(store, id);

        var removed = await store.RollBackAsync(
            new ChainReorganization(id, 103, "sigF", 1, "sigF", string.Empty, At, [new RemovedTransaction(102, "sigA")]), CancellationToken.None);

        Assert.That(removed, Is.Zero);
        Assert.That((await store.GetEventsAsync(id, CancellationToken.None)).Where(e => e.IsFinal).Select(e => e.Event.TransactionId), Is.EqualTo(new[] { "sigA" }));
        Assert.That((await store.GetSupplyAsync(CancellationToken.None)).Single().IndexedSupply, Is.EqualTo(new BigInteger(1)));
    }

    [Test]
    public async Task RollBack_BySignatureWithAFinalGovernanceChangeAtAnotherSlot_Refused()
    {
        // Governance changes are keyed by signature, so their guard looks at every slot of a dropped signature.
        var (store, id) = await OpenAsync();
        await store.CommitBatchAsync(new IndexedBatch(id, [], [], new ChainTip(100, "sigG"), At) { GovernanceChanges = [Freeze(100, "sigG", "Account9")], FinalThrough = 100 }, CancellationToken.None);

        Assert.ThrowsAsync<InvalidOperationException>(() => store.RollBackAsync(
            new ChainReorganization(id, 100, "sigG", 1, "sigG", string.Empty, At, [new RemovedTransaction(101, "sigG")]), CancellationToken.None));

        Assert.That(await store.GetGovernanceChangesAsync("sol", CancellationToken.None), Has.Count.EqualTo(1));
    }

    [TestCase(SqliteSupplyStore.FinalEventsOfRemovedTransactionsSql, "SEARCH supply_events USING (COVERING )?INDEX ux_supply_events_key \\(network_id=\\? AND block_number=\\?\\)")]
    [TestCase(SqliteSupplyStore.DeleteEventsOfRemovedTransactionsSql, "SEARCH supply_events USING (COVERING )?INDEX (ux_supply_events_key|ix_supply_events_provisional) \\(network_id=\\? AND block_number=\\?\\)")]
    [TestCase(SqliteSupplyStore.FinalChangesOfRemovedTransactionsSql, "SEARCH governance_changes USING PRIMARY KEY \\(network_id=\\? AND tx_id=\\?\\)")]
    [TestCase(SqliteSupplyStore.DeleteChangesOfRemovedTransactionsSql, "SEARCH governance_changes USING PRIMARY KEY \\(network_id=\\? AND tx_id=\\?\\)")]
    public void QueryPlan_RollbackBySignature_SeeksByKeyNeverScansTheNetwork(string statement, string seek)
    {
        // The guard of a dropped signature used to ask supply_events for tx_id alone, which the block-led key answers
        // only by reading every event of the network. Each statement must seek by slot (events) or by signature
        // (governance changes, keyed by signature).
        SqliteSupplyStore.Open(DbPath, TimeProvider.System);
        using var connection = new SqliteConnection($"Data Source={DbPath};Pooling=False");
        connection.Open();
        var plan = string.Join(" | ", connection
            .Query("EXPLAIN QUERY PLAN " + statement, new { NetworkId = 1L, Slots = new[] { 101L, 102L }, TransactionIds = new[] { "sigB", "sigE" } })
            .Select(row => (string)((IDictionary<string, object>)row)["detail"]));

        Assert.That(plan, Does.Match(seek), $"plan of {statement}: {plan}");
        Assert.That(plan, Does.Not.Contain("SCAN supply_events").And.Not.Contain("SCAN governance_changes"), $"no scan of a table: {plan}");
    }

    [Test]
    public void QueryPlan_GuardBySignatureAlone_ReadsEveryEventOfTheNetwork()
    {
        // The precondition of the test above: without the slot the key is searched by network only.
        SqliteSupplyStore.Open(DbPath, TimeProvider.System);
        using var connection = new SqliteConnection($"Data Source={DbPath};Pooling=False");
        connection.Open();
        var plan = string.Join(" | ", connection
            .Query("EXPLAIN QUERY PLAN SELECT COUNT(*) FROM supply_events WHERE network_id = @NetworkId AND is_final = 1 AND tx_id IN @TransactionIds",
                new { NetworkId = 1L, TransactionIds = new[] { "sigB", "sigE" } })
            .Select(row => (string)((IDictionary<string, object>)row)["detail"]));

        Assert.That(plan, Does.Match("ux_supply_events_key \\(network_id=\\?\\)"), plan);
    }
}
