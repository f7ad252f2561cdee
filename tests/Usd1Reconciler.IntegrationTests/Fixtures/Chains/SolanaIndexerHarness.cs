using Microsoft.Extensions.Logging.Abstractions;
using Usd1Reconciler.Core.Ingest;
using Usd1Reconciler.Core.Supply;
using Usd1Reconciler.Solana.Indexing;
using Usd1Reconciler.Solana.Rpc;
using Usd1Reconciler.Storage.Sqlite;

namespace Usd1Reconciler.IntegrationTests.Fixtures;

/// <summary>A Solana indexer for one mint over the real devnet and a real SQLite file in a temp folder.</summary>
internal sealed class SolanaIndexerHarness : IDisposable
{
    private readonly TempDirectory _directory = new("solana-store");
    private readonly HttpClient _http = new();

    public SolanaIndexerHarness(SolanaDevnetFixture devnet, string mint, string name = "solana-devnet", Func<SolanaNetworkSettings, SolanaNetworkSettings>? configure = null)
    {
        var settings = new SolanaNetworkSettings(name, mint, SolanaCommitment.Confirmed, [devnet.Url], TimeSpan.FromSeconds(60));
        Settings = configure is null ? settings : configure(settings);
        Store = SqliteSupplyStore.Open(_directory.File("usd1rec.db"), TimeProvider.System);
    }

    public SolanaNetworkSettings Settings { get; }

    public SqliteSupplyStore Store { get; }

    /// <summary>A fresh indexer each time, as after a restart: nothing may depend on in-memory state between passes.</summary>
    public Task<IndexPassResult> RunPassAsync() =>
        SolanaIndexer.Create(Settings, Store, _http, TimeProvider.System, NullLoggerFactory.Instance, Store).RunPassAsync(CancellationToken.None);

    public async Task<NetworkSupply> SupplyAsync() => (await Store.GetSupplyAsync(CancellationToken.None)).Single(s => s.Name == Settings.Name);

    public async Task<IReadOnlyList<(SupplyEvent Event, bool IsFinal)>> EventsAsync() =>
        await Store.GetEventsAsync((await SupplyAsync()).NetworkId, CancellationToken.None);

    public void Dispose()
    {
        _http.Dispose();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        _directory.Dispose();
    }
}
