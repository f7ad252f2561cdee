using Microsoft.Data.Sqlite;
using Usd1Reconciler.Core.Governance;
using Usd1Reconciler.Core.Ingest;
using Usd1Reconciler.Core.Networks;
using Usd1Reconciler.Storage.Sqlite;

namespace Usd1Reconciler.Tests.Storage.Sqlite;

public sealed class SqliteSupplyStoreGovernanceTests
{
    private const string Role = "0x9f2df0fed2c77648de5860a4cc508cd0818c85b8b8a1ab4ceeef8d981c8956a6";
    private static readonly DateTimeOffset At = new(2026, 12, 1, 12, 0, 0, TimeSpan.Zero);
    private string _directory = null!;

    [SetUp]
    public void SetUp() => _directory = Directory.CreateTempSubdirectory("usd1rec-governance-").FullName;

    [TearDown]
    public void TearDown()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }

    private async Task<(SqliteSupplyStore Store, long Id)> OpenAsync()
    {
        var store = SqliteSupplyStore.Open(Path.Combine(_directory, "store.db"), TimeProvider.System);
        var id = await store.RegisterNetworkAsync(new NetworkRegistration("eth", NetworkKind.Evm, 1, "0xtoken"), CancellationToken.None);
        return (store, id);
    }

    private static GovernanceChange Grant(long block, string account, DateTimeOffset? time = null) =>
        new("eth", GovernanceChangeKind.RoleGranted, Role, null, account, "0xadmin", block, "0xhash" + block, "0xtx" + block, 0, -1, time);

    private static IndexedBatch Batch(long id, long tip, params GovernanceChange[] changes) =>
        new(id, [], [], new ChainTip(tip, "0xhash" + tip), At) { GovernanceChanges = changes };

    [Test]
    public async Task CommitBatch_GovernanceChanges_ReadBackInChainOrderWithFinality()
    {
        var (store, id) = await OpenAsync();
        await store.CommitBatchAsync(Batch(id, 5, Grant(5, "0xb"), Grant(2, "0xa", At)), CancellationToken.None);
        await store.FinalizeAsync(id, 3, At, CancellationToken.None);

        var changes = await store.GetGovernanceChangesAsync("eth", CancellationToken.None);

        Assert.That(changes.Select(c => (c.BlockNumber, c.NewValue, c.IsFinal)), Is.EqualTo(new[] { (2L, (string?)"0xa", true), (5L, (string?)"0xb", false) }));
        Assert.That(changes[0].BlockTime, Is.EqualTo(At));
        Assert.That(changes[0].Actor, Is.EqualTo("0xadmin"));
    }

    [Test]
    public async Task CommitBatch_DuplicateGovernanceKey_WholeBatchRefusedTipUnchanged()
    {
        var (store, id) = await OpenAsync();
        await store.CommitBatchAsync(Batch(id, 2, Grant(2, "0xa")), CancellationToken.None);

        Assert.ThrowsAsync<SqliteException>(() => store.CommitBatchAsync(Batch(id, 4, Grant(4, "0xc"), Grant(2, "0xa")), CancellationToken.None));

        Assert.That((await store.GetTipAsync(id, CancellationToken.None))!.Number, Is.EqualTo(2));
        Assert.That((await store.GetGovernanceChangesAsync("eth", CancellationToken.None)).Select(c => c.BlockNumber), Is.EqualTo(new[] { 2L }));
    }

    [Test]
    public async Task RollBack_AboveAncestor_GovernanceChangesRemovedWithTheBlocks()
    {
        var (store, id) = await OpenAsync();
        await store.CommitBatchAsync(Batch(id, 10, Grant(3, "0xa"), Grant(8, "0xmallory")), CancellationToken.None);

        await store.RollBackAsync(new ChainReorganization(id, 5, "0xhash5", 5, "0xhash10", "0xother", At, []), CancellationToken.None);

        var state = GovernanceFold.Fold("eth", await store.GetGovernanceChangesAsync("eth", CancellationToken.None)).State;
        Assert.That(state.HoldsRole(Role, "0xmallory"), Is.False, "the grant in the abandoned block must not survive the rollback");
        Assert.That(state.HoldsRole(Role, "0xa"), Is.True);
    }

    [Test]
    public async Task RollBack_BySignature_OnlyUnfinalDroppedTransactionsRemoved()
    {
        var (store, id) = await OpenAsync();
        await store.CommitBatchAsync(Batch(id, 10, Grant(3, "0xa"), Grant(8, "0xb")), CancellationToken.None);
        await store.FinalizeAsync(id, 4, At, CancellationToken.None);

        await store.RollBackAsync(new ChainReorganization(id, 10, "0xhash10", 0, "0xhash10", "0xhash10", At, [new RemovedTransaction(8, "0xtx8")]), CancellationToken.None);

        Assert.That((await store.GetGovernanceChangesAsync("eth", CancellationToken.None)).Select(c => c.TransactionId), Is.EqualTo(new[] { "0xtx3" }));
    }

    [Test]
    public async Task GetGovernanceLog_Since_OnlyChangesAtOrAfterTheTime()
    {
        var (store, id) = await OpenAsync();
        await store.CommitBatchAsync(Batch(id, 3, Grant(1, "0xa", At.AddHours(-2)), Grant(2, "0xb", At), Grant(3, "0xc")), CancellationToken.None);

        var log = await store.GetGovernanceLogAsync(At.AddHours(-1), CancellationToken.None);
        var all = await store.GetGovernanceLogAsync(null, CancellationToken.None);

        Assert.That(log.Select(c => c.NewValue), Is.EqualTo(new[] { "0xb" }));
        Assert.That(all, Has.Count.EqualTo(3));
        Assert.That(all[0].Network, Is.EqualTo("eth"));
    }

    [Test]
    public async Task RecordGovernanceProof_Twice_LatestKeptWithDifferences()
    {
        var (store, _) = await OpenAsync();
        await store.RecordGovernanceProofAsync(new GovernanceProofReading("eth", 5, GovernanceProofStatus.Ok, [], "aa", At), CancellationToken.None);
        var mismatch = new GovernanceProofReading("eth", 6, GovernanceProofStatus.Mismatch, [new GovernanceProofDifference("implementation", "0x1", "0x2")], "bb", At.AddMinutes(1));
        await store.RecordGovernanceProofAsync(mismatch, CancellationToken.None);

        var read = await store.GetGovernanceProofAsync("eth", CancellationToken.None);

        Assert.That(read, Is.Not.Null);
        Assert.That((read!.BlockNumber, read.Status, read.StateHash, read.CheckedAt), Is.EqualTo((6L, GovernanceProofStatus.Mismatch, "bb", At.AddMinutes(1))));
        Assert.That(read.Differences, Is.EqualTo(mismatch.Differences));
        Assert.That(await store.GetGovernanceProofAsync("nowhere", CancellationToken.None), Is.Null);
    }

    [Test]
    public async Task RecordGovernanceProof_UnregisteredNetwork_Refused()
    {
        var (store, _) = await OpenAsync();

        Assert.ThrowsAsync<InvalidOperationException>(() => store.RecordGovernanceProofAsync(new GovernanceProofReading("nowhere", 1, GovernanceProofStatus.Ok, [], "aa", At), CancellationToken.None));
    }
}
