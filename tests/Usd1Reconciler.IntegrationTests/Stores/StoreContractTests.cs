using System.Numerics;
using Usd1Reconciler.Configuration;
using Usd1Reconciler.Core.Amounts;
using Usd1Reconciler.Core.Ingest;
using Usd1Reconciler.Core.Networks;
using Usd1Reconciler.Core.Supply;
using Usd1Reconciler.IntegrationTests.Fixtures;
using Usd1Reconciler.Storage;

namespace Usd1Reconciler.IntegrationTests.Stores;

/// <summary>
/// The store contract (issue 14.2): every store behaviour the host relies on, with the same assertions against both
/// providers, through the interfaces the host resolves. A provider passes only if it behaves exactly like the other:
/// final and unfinal ranges, finality, reorg rollback, cursors, proofs, pass state, token identity, redemption hours
/// (this file); reserves and the report chain (<c>.Reconciliation.cs</c>); anomalies and the outbox (<c>.Anomalies.cs</c>).
/// One PostgreSQL cluster per fixture, one database (or SQLite file) per test.
/// </summary>
[TestFixture(StorageProvider.Sqlite)]
[TestFixture(StorageProvider.Postgres)]
public sealed partial class StoreContractTests(StorageProvider provider)
{
    private static readonly DateTimeOffset Start = new(2026, 11, 25, 12, 0, 0, TimeSpan.Zero);

    // 2^256 - 1: an amount that fits neither a long nor a double exactly.
    private static readonly BigInteger MaxAmount = TokenAmount.MaxValue;

    private PostgresServer? _server;
    private StoreUnderTest _store = null!;
    private long _eth;

    [OneTimeSetUp]
    public async Task StartServerAsync()
    {
        if (provider == StorageProvider.Postgres)
        {
            _server = await PostgresServer.StartAsync();
        }
    }

    [OneTimeTearDown]
    public async Task StopServerAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }

    [SetUp]
    public async Task OpenStoreAsync()
    {
        _store = await StoreUnderTest.CreateAsync(provider, _server, Start);
        _eth = await Index.RegisterNetworkAsync(new NetworkRegistration("eth", NetworkKind.Evm, 1, "0xtoken"), CancellationToken.None);
    }

    [TearDown]
    public async Task CloseStoreAsync() => await _store.DisposeAsync();

    private IIndexStore Index => _store.Index;

    private static SupplyEvent Mint(long block, string tx, BigInteger amount, DateTimeOffset? time = null, int position = 0) =>
        new(SupplyEventKind.Mint, block, "0xhash" + block, tx, position, SupplyEvent.TopLevel, "0xminter", "0xholder", new TokenAmount(amount), time);

    private static SupplyEvent Burn(long block, string tx, BigInteger amount, DateTimeOffset? time = null) =>
        new(SupplyEventKind.Burn, block, "0xhash" + block, tx, 0, SupplyEvent.TopLevel, null, "0xholder", new TokenAmount(amount), time);

    private static BlockHeader Header(long number, DateTimeOffset time) => new(number, "0xhash" + number, "0xhash" + (number - 1), time);

    private async Task<NetworkSupply> SupplyOfEthAsync() => (await Index.GetSupplyAsync(CancellationToken.None)).Single(n => n.Name == "eth");

    [Test]
    public async Task RegisterNetwork_SameIdentityAgain_SameIdAndChangedIdentityRefused()
    {
        var again = await Index.RegisterNetworkAsync(new NetworkRegistration("eth", NetworkKind.Evm, 1, "0xtoken"), CancellationToken.None);
        Assert.That(again, Is.EqualTo(_eth));

        var error = Assert.ThrowsAsync<NetworkIdentityMismatchException>(() =>
            Index.RegisterNetworkAsync(new NetworkRegistration("eth", NetworkKind.Evm, 5, "0xtoken"), CancellationToken.None));
        Assert.That(error!.Message, Does.Contain("chain id 1").And.Contain("chain id 5"));
        var before = await SupplyOfEthAsync();
        Assert.That(before.FinalBlock, Is.EqualTo(-1), "a new network starts before its first final block");
        Assert.That(before.IndexedBlock, Is.EqualTo(-1));
    }

    [Test]
    public async Task CommitBatch_FinalRange_EventsFinalTotalsExactAndHoursFolded()
    {
        var hour = new DateTimeOffset(2026, 11, 25, 9, 0, 0, TimeSpan.Zero);
        var batch = new IndexedBatch(
            _eth,
            [Mint(10, "0xa", MaxAmount - 5, hour.AddMinutes(5)), Mint(11, "0xb", 5, hour.AddMinutes(59)), Burn(12, "0xc", 7, hour.AddMinutes(61)), Mint(12, "0xd", 1)],
            [],
            new ChainTip(12, "0xhash12"),
            Start) { FinalThrough = 12 };
        await Index.CommitBatchAsync(batch, CancellationToken.None);

        var supply = await SupplyOfEthAsync();
        Assert.That(supply.FinalMinted, Is.EqualTo(MaxAmount + 1), "sums are exact beyond 2^256: BigInteger, never double");
        Assert.That(supply.FinalBurned, Is.EqualTo(new BigInteger(7)));
        Assert.That((supply.FinalMints, supply.FinalBurns), Is.EqualTo((3L, 1L)));
        Assert.That(supply.ProvisionalMinted, Is.EqualTo(BigInteger.Zero));
        Assert.That(supply.FinalBlock, Is.EqualTo(12));
        Assert.That(supply.IndexedBlock, Is.EqualTo(12));
        Assert.That(await Index.GetFinalSupplyAtAsync(_eth, 11, CancellationToken.None), Is.EqualTo(MaxAmount));
        Assert.That(await Index.GetFinalSupplyAtAsync(_eth, 12, CancellationToken.None), Is.EqualTo(MaxAmount - 6));

        var events = await Index.GetEventsAsync(_eth, CancellationToken.None);
        Assert.That(events.Select(e => e.IsFinal), Is.All.True);
        Assert.That(events.Select(e => e.Event), Is.EqualTo(batch.Events.OrderBy(e => e.BlockNumber).ThenBy(e => e.TransactionId).ToList()),
            "events read back equal what was written, amounts and block times included");

        var hours = await Index.GetRedemptionHoursAsync(hour.AddHours(-2), CancellationToken.None);
        Assert.That(hours, Is.EqualTo(new[]
        {
            new Core.Redemptions.RedemptionHour("eth", hour, MaxAmount, 0),
            new Core.Redemptions.RedemptionHour("eth", hour.AddHours(1), 0, 7),
        }));
    }

    [Test]
    public async Task CommitBatch_UnfinalRangeThenFinalize_FoldedOnceAndAnchorKept()
    {
        var t = Start.AddMinutes(-30);
        await Index.CommitBatchAsync(
            new IndexedBatch(_eth, [Mint(20, "0xa", 100, t), Burn(21, "0xb", 40, t)], [Header(20, t), Header(21, t), Header(22, t)], new ChainTip(22, "0xhash22"), Start),
            CancellationToken.None);

        var provisional = await SupplyOfEthAsync();
        Assert.That((provisional.ProvisionalMinted, provisional.ProvisionalBurned), Is.EqualTo((new BigInteger(100), new BigInteger(40))));
        Assert.That(provisional.FinalMinted, Is.EqualTo(BigInteger.Zero));
        Assert.That(await Index.GetProvisionalEventsAsync(_eth, 20, CancellationToken.None), Has.Count.EqualTo(1));
        Assert.That(await Index.GetBlockAsync(_eth, 21, CancellationToken.None), Is.EqualTo(Header(21, t)));
        Assert.That(await Index.GetNewestBlockTimeAsync(_eth, CancellationToken.None), Is.EqualTo(t));

        await Index.FinalizeAsync(_eth, 21, Start, CancellationToken.None);
        await Index.FinalizeAsync(_eth, 21, Start, CancellationToken.None);
        await Index.FinalizeAsync(_eth, 19, Start, CancellationToken.None);

        var final = await SupplyOfEthAsync();
        Assert.That((final.FinalMinted, final.FinalBurned, final.FinalBlock), Is.EqualTo((new BigInteger(100), new BigInteger(40), 21L)),
            "finalizing the same block again, or an older one, folds nothing twice and never moves finality back");
        Assert.That(final.ProvisionalMinted, Is.EqualTo(BigInteger.Zero));
        Assert.That(await Index.GetFinalBlockAsync(_eth, CancellationToken.None), Is.EqualTo(21));
        Assert.That(await Index.GetBlockAsync(_eth, 20, CancellationToken.None), Is.Null, "headers below the newest final one are history");
        Assert.That(await Index.GetNewestBlockAtOrBelowAsync(_eth, 21, CancellationToken.None), Is.EqualTo(Header(21, t)), "the newest final header stays as the anchor");
        Assert.That(await Index.GetBlockAsync(_eth, 22, CancellationToken.None), Is.EqualTo(Header(22, t)));
        var hours = await Index.GetRedemptionHoursAsync(t.AddHours(-1), CancellationToken.None);
        Assert.That(hours.Single().Minted, Is.EqualTo(new BigInteger(100)));
        Assert.That(hours.Single().Burned, Is.EqualTo(new BigInteger(40)));
    }

    [Test]
    public async Task CommitBatch_DuplicateEventKey_StoreConstraintExceptionAndNothingOfTheBatchStored()
    {
        await Index.CommitBatchAsync(new IndexedBatch(_eth, [Mint(1, "0xa", 5)], [], new ChainTip(1, "0xhash1"), Start) { FinalThrough = 1 }, CancellationToken.None);

        var duplicate = new IndexedBatch(_eth, [Mint(2, "0xb", 7), Mint(1, "0xa", 5)], [Header(2, Start)], new ChainTip(2, "0xhash2"), Start) { FinalThrough = 2 };
        var error = Assert.ThrowsAsync<StoreConstraintException>(() => Index.CommitBatchAsync(duplicate, CancellationToken.None));

        Assert.That(error!.Message, Does.Contain("committing an indexed batch"), "the message says which write failed");
        Assert.That(await Index.GetTipAsync(_eth, CancellationToken.None), Is.EqualTo(new ChainTip(1, "0xhash1")), "the cursor commits with its events or not at all");
        Assert.That((await Index.GetEventsAsync(_eth, CancellationToken.None)).Select(e => e.Event.TransactionId), Is.EqualTo(new[] { "0xa" }));
        Assert.That((await SupplyOfEthAsync()).FinalMinted, Is.EqualTo(new BigInteger(5)));
    }

    [Test]
    public async Task RollBack_ByBlock_ProvisionalEventsAboveAncestorRemovedTipMovedAndReorgRecorded()
    {
        await Index.CommitBatchAsync(new IndexedBatch(_eth, [Mint(5, "0xfinal", 1)], [Header(5, Start)], new ChainTip(5, "0xhash5"), Start) { FinalThrough = 5 }, CancellationToken.None);
        await Index.CommitBatchAsync(
            new IndexedBatch(_eth, [Mint(6, "0xa", 2), Mint(7, "0xb", 3), Mint(8, "0xc", 4)], [Header(6, Start), Header(7, Start), Header(8, Start)], new ChainTip(8, "0xhash8"), Start),
            CancellationToken.None);

        var removed = await Index.RollBackAsync(new ChainReorganization(_eth, 6, "0xhash6", 2, "0xhash8", "0xother8", Start, []), CancellationToken.None);

        Assert.That(removed, Is.EqualTo(2));
        Assert.That(await Index.GetTipAsync(_eth, CancellationToken.None), Is.EqualTo(new ChainTip(6, "0xhash6")));
        Assert.That((await Index.GetEventsAsync(_eth, CancellationToken.None)).Select(e => e.Event.TransactionId), Is.EqualTo(new[] { "0xfinal", "0xa" }));
        Assert.That(await Index.GetBlockAsync(_eth, 7, CancellationToken.None), Is.Null);
        Assert.That((await SupplyOfEthAsync()).Reorgs, Is.EqualTo(1));

        // A reorg is screened once: counted by the first screen, never again.
        var paging = new AnomalyPaging(TimeSpan.FromMinutes(30), TimeSpan.FromDays(1));
        var first = await _store.Anomalies.ScreenReorgsAsync(2, paging, Start, CancellationToken.None);
        var second = await _store.Anomalies.ScreenReorgsAsync(2, paging, Start, CancellationToken.None);
        Assert.That(first.Reorgs, Is.EqualTo(new[] { ("eth", 2) }));
        Assert.That(first.Anomalies.Single().Anomaly.Rule, Is.EqualTo(Core.Anomalies.AnomalyRule.DeepReorg));
        Assert.That(second.Reorgs, Is.Empty);
        Assert.That(second.Anomalies, Is.Empty);
    }

    [Test]
    public async Task RollBack_BySignature_OnlyTheDroppedProvisionalTransactionsRemoved()
    {
        var sol = await Index.RegisterNetworkAsync(new NetworkRegistration("sol", NetworkKind.Solana, null, "Mint111"), CancellationToken.None);
        await Index.CommitBatchAsync(new IndexedBatch(sol, [Mint(100, "sigA", 1), Mint(101, "sigB", 2), Mint(102, "sigC", 3)], [], new ChainTip(102, "sigC"), Start), CancellationToken.None);

        var removed = await Index.RollBackAsync(new ChainReorganization(sol, 102, "sigC", 0, "sigC", "sigC", Start, [new RemovedTransaction(101, "sigB")]), CancellationToken.None);

        Assert.That(removed, Is.EqualTo(1));
        Assert.That((await Index.GetEventsAsync(sol, CancellationToken.None)).Select(e => e.Event.TransactionId), Is.EqualTo(new[] { "sigA", "sigC" }));
    }

    [Test]
    public async Task RollBack_BySignatureAtTheirSlots_OtherSignaturesOfTheSlotsKeptGovernanceOnlySignatureRemoved()
    {
        // Slot 101 holds sigB (two events and a freeze) beside sigC; slot 102 holds sigD and the governance-only sigE.
        var sol = await Index.RegisterNetworkAsync(new NetworkRegistration("sol", NetworkKind.Solana, null, "Mint111"), CancellationToken.None);
        await Index.CommitBatchAsync(new IndexedBatch(sol, [Mint(100, "sigA", 1)], [], new ChainTip(100, "sigA"), Start) { FinalThrough = 100 }, CancellationToken.None);
        await Index.CommitBatchAsync(
            new IndexedBatch(sol, [Mint(101, "sigB", 2), Mint(101, "sigB", 3, position: 1), Mint(101, "sigC", 4), Mint(102, "sigD", 5)], [], new ChainTip(102, "sigE"), Start)
            {
                GovernanceChanges =
                [
                    new("sol", Core.Governance.GovernanceChangeKind.AccountFrozen, "Account1", null, "true", "FreezeKey", 101, "0xhash101", "sigB", 2, -1, null),
                    new("sol", Core.Governance.GovernanceChangeKind.AuthorityChanged, "freezeAccount", null, "KeyE", "FreezeKey", 102, "0xhash102", "sigE", 0, -1, null),
                ],
            },
            CancellationToken.None);

        var removed = await Index.RollBackAsync(
            new ChainReorganization(sol, 102, "sigD", 2, "sigE", string.Empty, Start, [new RemovedTransaction(101, "sigB"), new RemovedTransaction(102, "sigE")]),
            CancellationToken.None);

        Assert.That(removed, Is.EqualTo(2), "sigB's two events; sigE has none");
        Assert.That((await Index.GetEventsAsync(sol, CancellationToken.None)).Select(e => e.Event.TransactionId), Is.EqualTo(new[] { "sigA", "sigC", "sigD" }));
        Assert.That(await _store.Governance.GetGovernanceChangesAsync("sol", CancellationToken.None), Is.Empty, "sigB's freeze and sigE's authority change went too");
        Assert.That(await Index.GetTipAsync(sol, CancellationToken.None), Is.EqualTo(new ChainTip(102, "sigD")));
    }

    [Test]
    public async Task RollBack_BySignatureWithAFinalEventAtItsSlot_RefusedAndNothingChanged()
    {
        var sol = await Index.RegisterNetworkAsync(new NetworkRegistration("sol", NetworkKind.Solana, null, "Mint111"), CancellationToken.None);
        await Index.CommitBatchAsync(new IndexedBatch(sol, [Mint(100, "sigA", 1), Mint(101, "sigB", 2)], [], new ChainTip(101, "sigB"), Start) { FinalThrough = 100 }, CancellationToken.None);

        var error = Assert.ThrowsAsync<InvalidOperationException>(() => Index.RollBackAsync(
            new ChainReorganization(sol, 100, "sigA", 2, "sigB", string.Empty, Start, [new RemovedTransaction(100, "sigA"), new RemovedTransaction(101, "sigB")]),
            CancellationToken.None));

        Assert.That(error!.Message, Does.Contain("would remove 1 final events"));
        Assert.That((await Index.GetEventsAsync(sol, CancellationToken.None)).Select(e => e.Event.TransactionId), Is.EqualTo(new[] { "sigA", "sigB" }),
            "the provisional sigB stays too: the whole rollback is undone");
        Assert.That(await Index.GetTipAsync(sol, CancellationToken.None), Is.EqualTo(new ChainTip(101, "sigB")));
    }

    [Test]
    public async Task RollBack_TouchingFinalEvents_RefusedAndNothingChanged()
    {
        await Index.CommitBatchAsync(new IndexedBatch(_eth, [Mint(5, "0xa", 1), Mint(6, "0xb", 1)], [], new ChainTip(6, "0xhash6"), Start) { FinalThrough = 6 }, CancellationToken.None);

        Assert.ThrowsAsync<InvalidOperationException>(() =>
            Index.RollBackAsync(new ChainReorganization(_eth, 4, "0xhash4", 2, "0xhash6", "0xother", Start, []), CancellationToken.None));

        Assert.That(await Index.GetTipAsync(_eth, CancellationToken.None), Is.EqualTo(new ChainTip(6, "0xhash6")));
        Assert.That(await Index.GetEventsAsync(_eth, CancellationToken.None), Has.Count.EqualTo(2));
        Assert.That((await SupplyOfEthAsync()).Reorgs, Is.Zero);
    }

    [Test]
    public async Task Touch_AfterACommit_LastIndexedAtMovesAndTipStays()
    {
        Assert.That(await Index.GetTipAsync(_eth, CancellationToken.None), Is.Null, "no cursor before the first batch");
        await Index.CommitBatchAsync(new IndexedBatch(_eth, [], [], new ChainTip(3, "0xhash3"), Start), CancellationToken.None);
        await Index.TouchAsync(_eth, Start.AddMinutes(5), CancellationToken.None);

        var supply = await SupplyOfEthAsync();
        Assert.That(supply.LastIndexedAt, Is.EqualTo(Start.AddMinutes(5)));
        Assert.That(await Index.GetTipAsync(_eth, CancellationToken.None), Is.EqualTo(new ChainTip(3, "0xhash3")));
    }

    [Test]
    public async Task RecordLedgerProof_BigSupplies_LatestProofReadBackExactly()
    {
        await Index.RecordLedgerProofAsync(new LedgerProofReading(_eth, 10, new TokenAmount(5), 5, Start), CancellationToken.None);
        await Index.RecordLedgerProofAsync(new LedgerProofReading(_eth, 11, new TokenAmount(MaxAmount), MaxAmount - 1, Start.AddMinutes(1)), CancellationToken.None);

        var proof = (await SupplyOfEthAsync()).LatestProof;
        Assert.That(proof, Is.Not.Null);
        Assert.That(proof!.BlockNumber, Is.EqualTo(11));
        Assert.That(proof.OnchainSupply.Value, Is.EqualTo(MaxAmount));
        Assert.That(proof.IndexedSupply, Is.EqualTo(MaxAmount - 1));
        Assert.That(proof.CheckedAt, Is.EqualTo(Start.AddMinutes(1)));
        Assert.That(proof.Compare(), Is.EqualTo(LedgerProofStatus.Mismatch));
    }

    [Test]
    public async Task RecordPassFailure_TwiceThenSuccess_KeepsFirstSinceLatestReasonThenClears()
    {
        await Index.RecordPassFailureAsync("eth", Start, "first cause", CancellationToken.None);
        await Index.RecordPassFailureAsync("eth", Start.AddMinutes(2), "second cause", CancellationToken.None);
        await Index.RecordPassFailureAsync("not-registered", Start, "ignored", CancellationToken.None);

        var failing = await SupplyOfEthAsync();
        Assert.That(failing.FailingSince, Is.EqualTo(Start), "the outage began at the first failure");
        Assert.That(failing.FailingReason, Is.EqualTo("second cause"));

        await Index.RecordPassSuccessAsync("eth", CancellationToken.None);
        var recovered = await SupplyOfEthAsync();
        Assert.That(recovered.FailingSince, Is.Null);
        Assert.That(recovered.FailingReason, Is.Null);
        Assert.That((await Index.GetSupplyAsync(CancellationToken.None)).Select(n => n.Name), Is.EqualTo(new[] { "eth" }));
    }

    [Test]
    public async Task RecordTokenIdentity_FirstReadWinsSymbolFilledMismatchRecordedAndCleared()
    {
        Assert.That(await Index.GetTokenIdentityAsync("eth", CancellationToken.None), Is.Null);
        Assert.That(await Index.RecordTokenIdentityAsync("eth", new TokenIdentity(6, null), Start, CancellationToken.None), Is.EqualTo(new TokenIdentity(6, null)));
        Assert.That(await Index.RecordTokenIdentityAsync("eth", new TokenIdentity(18, "USD1"), Start, CancellationToken.None), Is.EqualTo(new TokenIdentity(6, null)),
            "decimals are immutable once stored; a symbol of other decimals is not taken either");
        Assert.That(await Index.RecordTokenIdentityAsync("eth", new TokenIdentity(6, "USD1"), Start, CancellationToken.None), Is.EqualTo(new TokenIdentity(6, "USD1")));
        Assert.That(await Index.RecordTokenIdentityAsync("nowhere", new TokenIdentity(6, "USD1"), Start, CancellationToken.None), Is.Null);

        await Index.RecordTokenIdentityMismatchAsync("eth", "decimals 18 on chain, 6 stored", CancellationToken.None);
        var mismatched = await SupplyOfEthAsync();
        Assert.That(mismatched.TokenIdentityMismatch, Is.EqualTo("decimals 18 on chain, 6 stored"));
        Assert.That(mismatched.Token, Is.EqualTo(new TokenIdentity(6, "USD1")));

        await Index.RecordTokenIdentityMismatchAsync("eth", null, CancellationToken.None);
        Assert.That((await SupplyOfEthAsync()).TokenIdentityMismatch, Is.Null);
    }

    [Test]
    public async Task Maintenance_MigrateOnOpenStoreAndCheck_NothingPendingAndSound()
    {
        var migrated = _store.Maintenance.Migrate(_store.Time);
        Assert.That(migrated.AppliedNow, Is.Empty, "opening the store applied every migration already");
        Assert.That(migrated.Schema.IsCurrent, Is.True);

        await Index.CommitBatchAsync(new IndexedBatch(_eth, [Mint(1, "0xa", MaxAmount)], [], new ChainTip(1, "0xhash1"), Start) { FinalThrough = 1 }, CancellationToken.None);
        var check = _store.Maintenance.Check();
        Assert.That(check.Problems, Is.Empty);
        Assert.That(check.IsSound, Is.True);
        Assert.That(check.Schema!.Version, Is.EqualTo(migrated.Schema.Version));
    }
}
