using System.Numerics;
using Microsoft.Extensions.Logging.Abstractions;
using Usd1Reconciler.Core.Ingest;
using Usd1Reconciler.Core.Supply;
using Usd1Reconciler.Evm.Decoding;
using Usd1Reconciler.Evm.Indexing;
using Usd1Reconciler.Evm.Rpc;
using Usd1Reconciler.JsonRpc;
using Usd1Reconciler.Storage.Sqlite;

namespace Usd1Reconciler.IntegrationTests.Fixtures;

/// <summary>An EVM indexer over a real anvil and a real SQLite file, plus the means to compare the store with the chain.</summary>
internal sealed class EvmIndexerHarness : IDisposable
{
    private readonly TempDirectory _directory = new("store");
    private readonly HttpClient _http = new();

    /// <param name="storePath">An existing store to inspect (e.g. one a child usd1rec process wrote); default a fresh temp file.</param>
    public EvmIndexerHarness(AnvilNode node, string token, int? confirmations, int maxBlockRange = 2000, string name = "anvil", string? storePath = null)
    {
        Node = node;
        Token = token;
        Settings = new EvmNetworkSettings(name, node.ChainId, [node.Url], token, 0, confirmations, maxBlockRange, TimeSpan.FromSeconds(30));
        StorePath = storePath ?? _directory.File("usd1rec.db");
        Store = SqliteSupplyStore.Open(StorePath, TimeProvider.System);
    }

    public AnvilNode Node { get; }

    public string Token { get; }

    public EvmNetworkSettings Settings { get; }

    public string StorePath { get; }

    public SqliteSupplyStore Store { get; private set; }

    /// <summary>A fresh indexer, as after a restart; <paramref name="store"/> lets a test put a faulty store in front.</summary>
    public EvmIndexer NewIndexer(ISupplyStore? store = null) =>
        // The harness's own store keeps governance; a faulty store put in front is given none, as before.
        EvmIndexer.Create(Settings, store ?? Store, _http, TimeProvider.System, NullLoggerFactory.Instance, store is null ? Store : null);

    public Task<IndexPassResult> RunPassAsync() => NewIndexer().RunPassAsync(CancellationToken.None);

    /// <summary>Reopens the store file, as a restarted process would.</summary>
    public void ReopenStore() => Store = SqliteSupplyStore.Open(StorePath, TimeProvider.System);

    public async Task<NetworkSupply> SupplyAsync() => (await Store.GetSupplyAsync(CancellationToken.None)).Single(s => s.Name == Settings.Name);

    /// <summary>Every supply event the chain holds now, decoded afresh from eth_getLogs over the whole range.</summary>
    public async Task<IReadOnlyList<SupplyEvent>> ChainEventsAsync()
    {
        var rpc = new EvmRpcClient(new JsonRpcClient(_http, "truth", [Node.Url], TimeSpan.FromSeconds(30), NullLogger.Instance));
        var head = await rpc.eth_blockNumber(CancellationToken.None);
        var logs = await rpc.eth_getLogs(Token, EventTopics.All, 0, head, CancellationToken.None);
        return Erc20SupplyDecoder.Decode(logs, new Dictionary<long, DateTimeOffset>());
    }

    /// <summary>Stored events, as (tx, position, kind, holder, actor, amount, block hash) keys comparable with the chain's.</summary>
    public async Task<IReadOnlyList<string>> StoredKeysAsync()
    {
        var supply = await SupplyAsync();
        var events = await Store.GetEventsAsync(supply.NetworkId, CancellationToken.None);
        return events.Select(e => Key(e.Event)).Order(StringComparer.Ordinal).ToList();
    }

    public async Task<IReadOnlyList<string>> ChainKeysAsync() =>
        (await ChainEventsAsync()).Select(Key).Order(StringComparer.Ordinal).ToList();

    /// <summary>Asserts the store holds exactly the chain's events and its provisional supply equals totalSupply at the head.</summary>
    public async Task AssertStoreEqualsChainAsync(EvmTestChain chain, string because)
    {
        var stored = await StoredKeysAsync();
        var onChain = await ChainKeysAsync();
        Assert.That(stored, Is.EqualTo(onChain), $"store must hold exactly the chain's supply events: {because}");
        var supply = await SupplyAsync();
        Assert.That(supply.ProvisionalSupply, Is.EqualTo(await chain.TotalSupplyAsync(Token)), $"indexed supply to the head must equal totalSupply(): {because}");
    }

    private static string Key(SupplyEvent e) =>
        $"{e.TransactionId}/{e.Position}/{e.Kind}/{e.Holder}/{e.Actor}/{e.Amount}/{e.BlockNumber}/{e.BlockHash}";

    public void Dispose()
    {
        _http.Dispose();
        _directory.Dispose();
    }

    public static BigInteger Units(long whole) => new BigInteger(whole) * 1_000_000;
}
