using Microsoft.Data.Sqlite;
using Usd1Reconciler.Core.Networks;
using Usd1Reconciler.Storage.Sqlite;

namespace Usd1Reconciler.Tests.Storage.Sqlite;

public sealed class SqliteSupplyStoreTokenIdentityTests
{
    private static readonly DateTimeOffset At = new(2026, 12, 1, 10, 0, 0, TimeSpan.Zero);
    private string _directory = null!;

    [SetUp]
    public void SetUp() => _directory = Directory.CreateTempSubdirectory("usd1rec-token-").FullName;

    [TearDown]
    public void TearDown()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }

    private async Task<SqliteSupplyStore> OpenWithNetworkAsync()
    {
        var store = SqliteSupplyStore.Open(Path.Combine(_directory, "store.db"), TimeProvider.System);
        await store.RegisterNetworkAsync(new NetworkRegistration("eth", NetworkKind.Evm, 1, "0xtoken"), CancellationToken.None);
        return store;
    }

    [Test]
    public async Task RecordTokenIdentity_SecondReadDiffers_FirstReadStaysStored()
    {
        var store = await OpenWithNetworkAsync();
        await store.RecordTokenIdentityAsync("eth", new TokenIdentity(6, "USD1"), At, CancellationToken.None);

        var stored = await store.RecordTokenIdentityAsync("eth", new TokenIdentity(18, "USD1"), At.AddHours(1), CancellationToken.None);

        Assert.That(stored, Is.EqualTo(new TokenIdentity(6, "USD1")), "decimals are immutable once stored: a later read is compared, never written over");
        Assert.That((await store.GetSupplyAsync(CancellationToken.None)).Single().Token, Is.EqualTo(new TokenIdentity(6, "USD1")));
    }

    [Test]
    public async Task RecordTokenIdentity_SymbolUnreadableFirst_FilledInByLaterReadWithSameDecimals()
    {
        var store = await OpenWithNetworkAsync();
        await store.RecordTokenIdentityAsync("eth", new TokenIdentity(6, null), At, CancellationToken.None);

        var stored = await store.RecordTokenIdentityAsync("eth", new TokenIdentity(6, "USD1"), At, CancellationToken.None);

        Assert.That(stored, Is.EqualTo(new TokenIdentity(6, "USD1")));
    }

    [Test]
    public async Task RecordTokenIdentity_NetworkNotRegistered_NullAndNothingStored()
    {
        var store = await OpenWithNetworkAsync();

        Assert.That(await store.RecordTokenIdentityAsync("sol", new TokenIdentity(6, null), At, CancellationToken.None), Is.Null);
        Assert.That(await store.GetTokenIdentityAsync("sol", CancellationToken.None), Is.Null);
    }

    [Test]
    public async Task RecordTokenIdentity_MoreThan77Decimals_RefusedNothingStored()
    {
        var store = await OpenWithNetworkAsync();

        Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => store.RecordTokenIdentityAsync("eth", new TokenIdentity(78, null), At, CancellationToken.None));
        Assert.That(await store.GetTokenIdentityAsync("eth", CancellationToken.None), Is.Null);
    }

    [Test]
    public async Task GetSupply_MismatchRecordedThenCleared_ReportedThenGone()
    {
        var store = await OpenWithNetworkAsync();
        await store.RecordTokenIdentityAsync("eth", new TokenIdentity(6, "USD1"), At, CancellationToken.None);

        await store.RecordTokenIdentityMismatchAsync("eth", "decimals 6 -> 18", CancellationToken.None);
        var during = (await store.GetSupplyAsync(CancellationToken.None)).Single().TokenIdentityMismatch;
        await store.RecordTokenIdentityMismatchAsync("eth", null, CancellationToken.None);

        Assert.That(during, Is.EqualTo("decimals 6 -> 18"));
        Assert.That((await store.GetSupplyAsync(CancellationToken.None)).Single().TokenIdentityMismatch, Is.Null);
    }
}
