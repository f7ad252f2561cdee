using Usd1Reconciler.Evm.Indexing;
using Usd1Reconciler.IntegrationTests.Fixtures;
using Usd1Reconciler.JsonRpc;

namespace Usd1Reconciler.IntegrationTests.Resilience;

/// <summary>An anvil with a PlainToken and some history, a harness store, and an indexer reached through fault proxies.</summary>
internal sealed class EvmFaultSetup : IAsyncDisposable
{
    /// <summary>Short rests so a test sees backoff, breaker and recovery within seconds.</summary>
    public static readonly RpcResilienceOptions FastResilience = new()
    {
        MaxRounds = 2,
        BaseBackoff = TimeSpan.FromMilliseconds(20),
        MaxBackoff = TimeSpan.FromMilliseconds(200),
        FailureThreshold = 3,
        BreakDuration = TimeSpan.FromSeconds(1),
        MaxWait = TimeSpan.FromSeconds(2),
    };

    private readonly List<FaultProxy> _proxies = [];

    private EvmFaultSetup(AnvilNode node, EvmTestChain chain, string token, EvmIndexerHarness harness)
    {
        Node = node;
        Chain = chain;
        Token = token;
        Harness = harness;
    }

    public AnvilNode Node { get; }

    public EvmTestChain Chain { get; }

    public string Token { get; }

    public EvmIndexerHarness Harness { get; }

    public CapturedLogs Logs { get; } = new();

    public IReadOnlyList<FaultProxy> Proxies => _proxies;

    public static async Task<EvmFaultSetup> StartAsync(int proxies, int confirmations = 2)
    {
        var node = await AnvilNode.StartAsync();
        var chain = new EvmTestChain(node);
        var token = await chain.DeployPlainAsync();
        var setup = new EvmFaultSetup(node, chain, token, new EvmIndexerHarness(node, token, confirmations));
        for (var i = 0; i < proxies; i++)
        {
            setup._proxies.Add(await FaultProxy.StartAsync(node.Url));
        }

        await setup.MintAndBurnAsync(3);
        return setup;
    }

    /// <summary>Some mints and burns, then a few empty blocks so part of them becomes final.</summary>
    public async Task MintAndBurnAsync(int rounds)
    {
        for (var i = 0; i < rounds; i++)
        {
            await Chain.MintAsync(Token, EvmTestChain.Alice, 1_000 + i);
            await Chain.PlainBurnAsync(Token, EvmTestChain.Alice, 10 + i);
        }

        await Chain.MineAsync(3);
    }

    public EvmIndexer NewIndexer(int maxBlockRange = 2000, long maxHeadLag = EvmNetworkSettings.DefaultMaxHeadLag, TimeSpan? requestTimeout = null)
    {
        var settings = Harness.Settings with
        {
            RpcUrls = _proxies.Select(p => p.Url).ToList(),
            MaxBlockRange = maxBlockRange,
            MaxHeadLag = maxHeadLag,
            RequestTimeout = requestTimeout ?? TimeSpan.FromSeconds(1),
            Resilience = FastResilience,
        };
        return EvmIndexer.Create(settings, Harness.Store, new HttpClient(), TimeProvider.System, Logs, Harness.Store);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var proxy in _proxies)
        {
            await proxy.DisposeAsync();
        }

        Harness.Dispose();
        await Node.DisposeAsync();
    }
}
