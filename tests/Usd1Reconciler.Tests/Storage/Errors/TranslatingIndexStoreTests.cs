using Dapper;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Usd1Reconciler.Core.Amounts;
using Usd1Reconciler.Core.Governance;
using Usd1Reconciler.Core.Ingest;
using Usd1Reconciler.Core.Networks;
using Usd1Reconciler.Core.Supply;
using Usd1Reconciler.Storage;
using Usd1Reconciler.Storage.Sqlite;

namespace Usd1Reconciler.Tests.Storage.Errors;

/// <summary>
/// Issue 14.1's leftover: a provider error inside a write transaction reaches the host as the storage project's own
/// exception, not as a <see cref="System.Data.Common.DbException"/>. Here on SQLite through the registered
/// <see cref="IIndexStore"/>; the store contract suite checks the same on PostgreSQL.
/// </summary>
public sealed class TranslatingIndexStoreTests
{
    private static readonly DateTimeOffset At = new(2026, 11, 25, 12, 0, 0, TimeSpan.Zero);
    private string _directory = null!;

    [SetUp]
    public void SetUp() => _directory = Directory.CreateTempSubdirectory("usd1rec-translate-").FullName;

    [TearDown]
    public void TearDown()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }

    private ServiceProvider Services() => new ServiceCollection()
        .AddSingleton(TimeProvider.System)
        .AddSingleton<ILoggerFactory>(NullLoggerFactory.Instance)
        .AddSqliteStorage(new SqliteStorageSettings(Path.Combine(_directory, "store.db")))
        .BuildServiceProvider();

    private static SupplyEvent Mint(long block, string tx) =>
        new(SupplyEventKind.Mint, block, "0xhash" + block, tx, 0, SupplyEvent.TopLevel, "0xminter", "0xholder", new TokenAmount(5), null);

    [Test]
    public async Task RegisteredStore_ProviderKeepsGovernance_TheViewKeepsItTooAndReadsItBack()
    {
        // The governance screener, the EVM and Solana proofs, the report runner and the governance verbs all ask the
        // registered store whether it keeps governance; a view that hid it turned the whole control plane off.
        await using var services = Services();
        var store = services.GetRequiredService<IIndexStore>();
        var id = await store.RegisterNetworkAsync(new NetworkRegistration("eth", NetworkKind.Evm, 1, "0xtoken"), CancellationToken.None);
        var change = new GovernanceChange(
            "eth", GovernanceChangeKind.OwnershipTransferred, "owner", "0xold", "0xnew", "0xold", 1, "0xhash1", "0xa", 0, 0, At);
        await store.CommitBatchAsync(new IndexedBatch(id, [], [], new ChainTip(1, "0xhash1"), At) { GovernanceChanges = [change] }, CancellationToken.None);

        var governance = services.GetService<IGovernanceStore>();
        Assert.That(governance, Is.SameAs(store), "the governance store must be the registered view itself, not a second view or the raw provider store");
        var changes = await governance!.GetGovernanceChangesAsync("eth", CancellationToken.None);
        Assert.That(changes.Select(c => (c.Kind, c.NewValue, c.TransactionId)), Is.EqualTo(new[] { (GovernanceChangeKind.OwnershipTransferred, "0xnew", "0xa") }));
    }

    [Test]
    public async Task RegisteredGovernanceStore_TableGone_StoreUnavailableExceptionNotADbException()
    {
        // Resolved from the container, governance calls get the same translation as every other store call.
        await using var services = Services();
        var governance = services.GetRequiredService<IGovernanceStore>();
        await services.GetRequiredService<IIndexStore>().RegisterNetworkAsync(new NetworkRegistration("eth", NetworkKind.Evm, 1, "0xtoken"), CancellationToken.None);
        await using (var connection = new SqliteConnection($"Data Source={Path.Combine(_directory, "store.db")};Pooling=False"))
        {
            await connection.ExecuteAsync("DROP TABLE governance_proofs;");
        }

        var error = Assert.ThrowsAsync<StoreUnavailableException>(() => governance.GetGovernanceProofAsync("eth", CancellationToken.None));
        Assert.That(error!.Message, Does.Contain("reading the governance proof"));
    }

    [Test]
    public async Task CommitBatch_DuplicateEventKey_StoreConstraintExceptionWithTheProviderErrorInside()
    {
        await using var services = Services();
        var store = services.GetRequiredService<IIndexStore>();
        var id = await store.RegisterNetworkAsync(new NetworkRegistration("eth", NetworkKind.Evm, 1, "0xtoken"), CancellationToken.None);
        await store.CommitBatchAsync(new IndexedBatch(id, [Mint(1, "0xa")], [], new ChainTip(1, "0xhash1"), At), CancellationToken.None);

        var error = Assert.ThrowsAsync<StoreConstraintException>(() =>
            store.CommitBatchAsync(new IndexedBatch(id, [Mint(2, "0xa"), Mint(1, "0xa")], [], new ChainTip(2, "0xhash2"), At), CancellationToken.None));

        Assert.That(error!.InnerException, Is.InstanceOf<SqliteException>());
        Assert.That(error.Message, Does.Contain(Path.Combine(_directory, "store.db")).And.Contain("committing an indexed batch"));
        Assert.That(await store.GetTipAsync(id, CancellationToken.None), Is.EqualTo(new ChainTip(1, "0xhash1")));
    }

    [Test]
    public async Task RecordPassFailure_TableGone_StoreUnavailableExceptionNotADbException()
    {
        await using var services = Services();
        var store = services.GetRequiredService<IIndexStore>();
        await store.RegisterNetworkAsync(new NetworkRegistration("eth", NetworkKind.Evm, 1, "0xtoken"), CancellationToken.None);
        await using (var connection = new SqliteConnection($"Data Source={Path.Combine(_directory, "store.db")};Pooling=False"))
        {
            await connection.ExecuteAsync("PRAGMA foreign_keys = OFF; ALTER TABLE networks RENAME TO networks_gone;");
        }

        var error = Assert.ThrowsAsync<StoreUnavailableException>(() => store.RecordPassFailureAsync("eth", At, "down", CancellationToken.None));
        Assert.That(error!.Message, Does.Contain("recording a failed pass"));
    }

    [Test]
    public async Task RollBack_TouchingFinalEvents_NotAProviderErrorSoPassedThroughUnchanged()
    {
        await using var services = Services();
        var store = services.GetRequiredService<IIndexStore>();
        var id = await store.RegisterNetworkAsync(new NetworkRegistration("eth", NetworkKind.Evm, 1, "0xtoken"), CancellationToken.None);
        await store.CommitBatchAsync(new IndexedBatch(id, [Mint(5, "0xa")], [], new ChainTip(5, "0xhash5"), At) { FinalThrough = 5 }, CancellationToken.None);

        Assert.ThrowsAsync<InvalidOperationException>(() =>
            store.RollBackAsync(new ChainReorganization(id, 4, "0xhash4", 1, "0xhash5", "0xother", At, []), CancellationToken.None));
    }
}
