using Usd1Reconciler.Core.Amounts;
using Usd1Reconciler.Core.Governance;
using Usd1Reconciler.Core.Ingest;
using Usd1Reconciler.Core.Networks;
using Usd1Reconciler.Storage;

namespace Usd1Reconciler.IntegrationTests.Stores;

/// <summary>
/// The governance record's contract (issue 15 on both providers): privileged changes ride the batch that moves the
/// cursor and leave with the rollback that removes their blocks, final by the network's final block, read back exactly
/// in chain order; the latest governance proof per network is kept with its differences.
/// </summary>
public sealed partial class StoreContractTests
{
    private const string Minter = "0x70997970c51812dc3a010c7d01b50e0d17dc79c8";
    private const string Role = "0x9f2df0fed2c77648de5860a4cc508cd0818c85b8b8a1ab4ceeef8d981c8956a6";

    private IGovernanceStore Governance => _store.Governance;

    private static GovernanceChange Change(string network, GovernanceChangeKind kind, long block, string tx, string subject, string? newValue, int position = 0, int subPosition = -1, DateTimeOffset? time = null, string? actor = "0xadmin") =>
        new(network, kind, subject, null, newValue, actor, block, "0xhash" + block, tx, position, subPosition, time);

    private static IndexedBatch Batch(long networkId, long tip, IReadOnlyList<GovernanceChange> changes, long? finalThrough = null, IReadOnlyList<BlockHeader>? headers = null) =>
        new(networkId, [], headers ?? [], new ChainTip(tip, "0xhash" + tip), Start) { FinalThrough = finalThrough, GovernanceChanges = changes };

    [Test]
    public async Task CommitBatch_GovernanceChanges_ReadBackExactlyInChainOrderFinalByTheFinalBlock()
    {
        var t = new DateTimeOffset(2026, 11, 25, 9, 30, 15, TimeSpan.Zero);
        // Written out of chain order; allowance 2^256 - 1 must come back digit for digit; null time, actor and values kept.
        var changes = new[]
        {
            Change("eth", GovernanceChangeKind.MinterConfigured, 12, "0xc", Minter, TokenAmount.MaxValue.ToString(System.Globalization.CultureInfo.InvariantCulture), position: 3, time: t.AddSeconds(24)),
            Change("eth", GovernanceChangeKind.RoleGranted, 10, "0xa", Role, Minter, position: 1, time: t),
            Change("eth", GovernanceChangeKind.Paused, 12, "0xc", "paused", "true", position: 2, time: t.AddSeconds(24)),
            Change("eth", GovernanceChangeKind.AuthorityChanged, 11, "0xb", "masterMinter", null, position: 0, subPosition: 4, actor: null),
        };
        await Index.CommitBatchAsync(Batch(_eth, 12, changes, finalThrough: 10, headers: [Header(11, Start), Header(12, Start)]), CancellationToken.None);

        var stored = await Governance.GetGovernanceChangesAsync("eth", CancellationToken.None);
        Assert.That(stored.Select(c => c with { IsFinal = false }), Is.EqualTo(changes.OrderBy(c => c.BlockNumber).ThenBy(c => c.Position).ThenBy(c => c.SubPosition).ToList()),
            "changes read back equal what was written, in block then position order");
        Assert.That(stored.Select(c => c.IsFinal), Is.EqualTo(new[] { true, false, false, false }), "final = at or below the final block (10)");
        Assert.That(await Governance.GetGovernanceChangesAsync("nowhere", CancellationToken.None), Is.Empty);

        await Index.FinalizeAsync(_eth, 12, Start, CancellationToken.None);
        Assert.That((await Governance.GetGovernanceChangesAsync("eth", CancellationToken.None)).Select(c => c.IsFinal), Is.All.True,
            "finalization moves the changes with the supply, with no second update");
    }

    [Test]
    public async Task CommitBatch_DuplicateGovernanceKey_StoreConstraintExceptionAndNothingOfTheBatchStored()
    {
        await Index.CommitBatchAsync(Batch(_eth, 1, [Change("eth", GovernanceChangeKind.Paused, 1, "0xa", "paused", "true")]), CancellationToken.None);

        var duplicate = new IndexedBatch(_eth, [Mint(2, "0xb", 7)], [Header(2, Start)], new ChainTip(2, "0xhash2"), Start)
        {
            GovernanceChanges = [Change("eth", GovernanceChangeKind.Unpaused, 2, "0xb", "paused", "false"), Change("eth", GovernanceChangeKind.Paused, 1, "0xa", "paused", "true")],
        };
        var error = Assert.ThrowsAsync<StoreConstraintException>(() => Index.CommitBatchAsync(duplicate, CancellationToken.None));

        Assert.That(error!.Message, Does.Contain("committing an indexed batch"));
        Assert.That(await Index.GetTipAsync(_eth, CancellationToken.None), Is.EqualTo(new ChainTip(1, "0xhash1")), "the cursor commits with its changes or not at all");
        Assert.That(await Index.GetEventsAsync(_eth, CancellationToken.None), Is.Empty, "the batch's supply event went with it");
        Assert.That((await Governance.GetGovernanceChangesAsync("eth", CancellationToken.None)).Select(c => c.TransactionId), Is.EqualTo(new[] { "0xa" }));
    }

    [Test]
    public async Task RollBack_ByBlock_UnfinalGovernanceChangesAboveTheAncestorRemovedFinalOnesKept()
    {
        await Index.CommitBatchAsync(Batch(_eth, 5, [Change("eth", GovernanceChangeKind.RoleGranted, 5, "0xfinal", Role, "0xadmin")], finalThrough: 5, headers: [Header(5, Start)]), CancellationToken.None);
        await Index.CommitBatchAsync(
            Batch(_eth, 8, [Change("eth", GovernanceChangeKind.RoleGranted, 6, "0xkept", Role, Minter), Change("eth", GovernanceChangeKind.RoleRevoked, 7, "0xgone", Role, null), Change("eth", GovernanceChangeKind.Paused, 8, "0xgone2", "paused", "true")],
                headers: [Header(6, Start), Header(7, Start), Header(8, Start)]),
            CancellationToken.None);

        await Index.RollBackAsync(new ChainReorganization(_eth, 6, "0xhash6", 2, "0xhash8", "0xother8", Start, []), CancellationToken.None);

        Assert.That((await Governance.GetGovernanceChangesAsync("eth", CancellationToken.None)).Select(c => c.TransactionId), Is.EqualTo(new[] { "0xfinal", "0xkept" }),
            "a change in an abandoned block never outlives the reorg");
        var state = GovernanceFold.Fold("eth", await Governance.GetGovernanceChangesAsync("eth", CancellationToken.None)).State;
        Assert.That(state.Paused, Is.Not.True, "the state folded after the reorg has the pause undone");
    }

    [Test]
    public async Task RollBack_BySignature_OnlyTheDroppedSignaturesChangesRemoved()
    {
        var sol = await Index.RegisterNetworkAsync(new NetworkRegistration("sol", NetworkKind.Solana, null, "Mint111"), CancellationToken.None);
        await Index.CommitBatchAsync(
            Batch(sol, 102, [
                Change("sol", GovernanceChangeKind.AuthorityChanged, 100, "sigA", "mintTokens", "KeyA"),
                Change("sol", GovernanceChangeKind.AccountFrozen, 101, "sigB", "Account1", "true", subPosition: 2),
                Change("sol", GovernanceChangeKind.AuthorityChanged, 102, "sigC", "freezeAccount", "KeyC"),
            ]) with { NewTip = new ChainTip(102, "sigC") },
            CancellationToken.None);

        await Index.RollBackAsync(new ChainReorganization(sol, 102, "sigC", 0, "sigC", "sigC", Start, [new RemovedTransaction(101, "sigB")]), CancellationToken.None);

        Assert.That((await Governance.GetGovernanceChangesAsync("sol", CancellationToken.None)).Select(c => c.TransactionId), Is.EqualTo(new[] { "sigA", "sigC" }));
    }

    [Test]
    public async Task RollBack_ReachingAFinalGovernanceChange_RefusedAndNothingChanged()
    {
        // Blocks holding only privileged actions: no final supply event stands in the rollback's way.
        await Index.CommitBatchAsync(Batch(_eth, 6, [Change("eth", GovernanceChangeKind.Upgraded, 5, "0xa", "implementation", "0ximpl"), Change("eth", GovernanceChangeKind.Paused, 6, "0xb", "paused", "true")], finalThrough: 6), CancellationToken.None);

        Assert.ThrowsAsync<InvalidOperationException>(() =>
            Index.RollBackAsync(new ChainReorganization(_eth, 4, "0xhash4", 2, "0xhash6", "0xother", Start, []), CancellationToken.None));
        Assert.ThrowsAsync<InvalidOperationException>(() =>
            Index.RollBackAsync(new ChainReorganization(_eth, 6, "0xhash6", 0, "0xhash6", "0xhash6", Start, [new RemovedTransaction(6, "0xb")]), CancellationToken.None));

        Assert.That(await Governance.GetGovernanceChangesAsync("eth", CancellationToken.None), Has.Count.EqualTo(2), "final history is never rewritten");
        Assert.That(await Index.GetTipAsync(_eth, CancellationToken.None), Is.EqualTo(new ChainTip(6, "0xhash6")));
        Assert.That((await SupplyOfEthAsync()).Reorgs, Is.Zero, "the refused rollback recorded no reorg");
    }

    [Test]
    public async Task GetGovernanceLog_SinceAndWithout_EveryNetworkByNameThenChainOrderUntimedOnlyWithoutSince()
    {
        var arb = await Index.RegisterNetworkAsync(new NetworkRegistration("arb", NetworkKind.Evm, 42161, "0xtoken"), CancellationToken.None);
        var t = new DateTimeOffset(2026, 11, 25, 10, 0, 0, TimeSpan.Zero);
        await Index.CommitBatchAsync(Batch(_eth, 3, [Change("eth", GovernanceChangeKind.Paused, 3, "0xe3", "paused", "true", time: t.AddMinutes(5)), Change("eth", GovernanceChangeKind.Unpaused, 2, "0xe2", "paused", "false", time: t.AddMinutes(-5))]), CancellationToken.None);
        await Index.CommitBatchAsync(Batch(arb, 9, [Change("arb", GovernanceChangeKind.Denylisted, 9, "0xa9", "0xbad", "true", time: t), Change("arb", GovernanceChangeKind.Denylisted, 8, "0xa8", "0xuntimed", "true")]), CancellationToken.None);

        var all = await Governance.GetGovernanceLogAsync(null, CancellationToken.None);
        Assert.That(all.Select(c => c.TransactionId), Is.EqualTo(new[] { "0xa8", "0xa9", "0xe2", "0xe3" }), "by network name, then chain order");

        var since = await Governance.GetGovernanceLogAsync(t, CancellationToken.None);
        Assert.That(since.Select(c => c.TransactionId), Is.EqualTo(new[] { "0xa9", "0xe3" }), "at or after --since; an untimed change cannot be placed in the window");
        Assert.That(since.Select(c => c.Network), Is.EqualTo(new[] { "arb", "eth" }));
    }

    [Test]
    public async Task RecordGovernanceProof_TwiceAndPerNetwork_LatestKeptAndReadBackExactly()
    {
        Assert.That(await Governance.GetGovernanceProofAsync("eth", CancellationToken.None), Is.Null, "no proof before the first");
        await Index.RegisterNetworkAsync(new NetworkRegistration("sol", NetworkKind.Solana, null, "Mint111"), CancellationToken.None);

        await Governance.RecordGovernanceProofAsync(new GovernanceProofReading("eth", 10, GovernanceProofStatus.Ok, [], "hash10", Start), CancellationToken.None);
        var mismatch = new GovernanceProofReading(
            "eth", 11, GovernanceProofStatus.Mismatch,
            [new GovernanceProofDifference("implementation", "0ximpl", "0xother"), new GovernanceProofDifference("role:R:0xa,b", "holder", "not a \"holder\"")],
            "hash11", Start.AddMinutes(1));
        await Governance.RecordGovernanceProofAsync(mismatch, CancellationToken.None);
        var stale = new GovernanceProofReading("sol", -1, GovernanceProofStatus.Stale, [], "hash-empty", Start.AddMinutes(2), "no final block yet");
        await Governance.RecordGovernanceProofAsync(stale, CancellationToken.None);

        Assert.That(Flat(await Governance.GetGovernanceProofAsync("eth", CancellationToken.None)), Is.EqualTo(Flat(mismatch)),
            "one proof per network, the latest replacing the one before; differences in order, quotes and commas intact");
        Assert.That(Flat(await Governance.GetGovernanceProofAsync("sol", CancellationToken.None)), Is.EqualTo(Flat(stale)), "a stale proof keeps its reason");

        Assert.ThrowsAsync<InvalidOperationException>(() =>
            Governance.RecordGovernanceProofAsync(new GovernanceProofReading("nowhere", 1, GovernanceProofStatus.Ok, [], "h", Start), CancellationToken.None));
    }

    // A reading as one comparable value: the record's own equality compares its difference list by reference.
    private static string? Flat(GovernanceProofReading? r) => r is null
        ? null
        : string.Join(" | ", new object?[] { r.Network, r.BlockNumber, r.Status, r.StateHash, r.CheckedAt.ToString("O", System.Globalization.CultureInfo.InvariantCulture), r.Reason ?? "<null>" }
            .Concat(r.Differences.Select(d => $"[{d.Subject}; {d.Folded}; {d.Chain}]")));
}
