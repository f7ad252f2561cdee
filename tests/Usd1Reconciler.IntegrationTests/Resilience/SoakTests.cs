using System.Diagnostics;
using Usd1Reconciler.IntegrationTests.Fixtures;
using Usd1Reconciler.JsonRpc;

namespace Usd1Reconciler.IntegrationTests.Resilience;

/// <summary>
/// Bounded soak: for 45 s, seeded random faults on both endpoints while mints, burns, bulk mints and shallow reorgs
/// happen on the chain and the indexer follows it. Afterwards the store must equal the chain, and the only failures
/// seen must be the expected "network unavailable" ones — no unhandled exception, no deep reorg.
/// </summary>
[TestFixture]
[Category("Integration")]
[Category("Resilience")]
public sealed class SoakTests
{
    private const ulong Seed = 0x50A4_0007;
    private static readonly TimeSpan Duration = TimeSpan.FromSeconds(45);

    private static readonly FaultKind[] Faults =
    [
        FaultKind.Latency, FaultKind.ConnectionReset, FaultKind.ServerError, FaultKind.TooManyRequests, FaultKind.TruncatedBody, FaultKind.MalformedJson,
    ];

    [Test]
    [CancelAfter(150_000)]
    public async Task FollowChain_RandomFaultsWhileMintsBurnsAndReorgs_StoreEqualsChainNoUnhandledException()
    {
        await using var setup = await EvmFaultSetup.StartAsync(proxies: 2, confirmations: 6);
        var faultRandom = new SeededRandom(Seed);
        var injected = new Dictionary<FaultKind, int>();
        foreach (var proxy in setup.Proxies)
        {
            proxy.Latency = TimeSpan.FromMilliseconds(1500);
            proxy.Decide = _ =>
            {
                lock (faultRandom)
                {
                    return faultRandom.NextDouble() < 0.2 ? Faults[faultRandom.Next(0, Faults.Length)] : FaultKind.None;
                }
            };
        }

        var indexer = setup.NewIndexer(maxBlockRange: 8);
        using var stop = new CancellationTokenSource();
        var failures = new Dictionary<string, int>();
        var unexpected = new List<Exception>();
        var passes = 0;
        var reorgsFollowed = 0;
        var follower = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                try
                {
                    var result = await indexer.RunPassAsync(CancellationToken.None);
                    reorgsFollowed += result.ReorgsHandled;
                    passes++;
                }
                catch (RpcUnavailableException ex)
                {
                    failures[ex.GetType().Name] = failures.GetValueOrDefault(ex.GetType().Name) + 1;
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    // Anything else is a bug: a transient fault must never surface as another exception type.
                    unexpected.Add(ex);
                }

                await Task.Delay(TimeSpan.FromMilliseconds(100), TimeProvider.System);
            }
        });

        var actions = new SeededRandom(Seed + 1);
        var counts = new Dictionary<string, int>();
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < Duration)
        {
            var roll = actions.Next(0, 100);
            var action = roll switch
            {
                < 35 => "mint",
                < 60 => "burn",
                < 70 => "mintMany",
                < 80 => "reorg",
                _ => "mine",
            };
            switch (action)
            {
                case "mint":
                    await setup.Chain.MintAsync(setup.Token, EvmTestChain.Alice, actions.Next(1, 10_000));
                    break;
                case "burn":
                    await setup.Chain.PlainBurnAsync(setup.Token, EvmTestChain.Alice, actions.Next(1, 10));
                    break;
                case "mintMany":
                    await setup.Chain.SendAsync(EvmTestChain.Deployer, setup.Token, Abi.Call("mintMany(address,uint256,uint256)", EvmTestChain.Bob, 3, 50));
                    break;
                case "reorg":
                    // Shallower than the 6 confirmations: a reorg the indexer must follow, never a deep one.
                    await setup.Chain.ReorgAsync(actions.Next(1, 4), [(setup.Token, Abi.Call("mint(address,uint256)", EvmTestChain.Bob, actions.Next(1, 1000)), 0)]);
                    break;
                default:
                    await setup.Chain.MineAsync(actions.Next(1, 4));
                    break;
            }

            counts[action] = counts.GetValueOrDefault(action) + 1;
            await Task.Delay(TimeSpan.FromMilliseconds(actions.Next(20, 150)), TimeProvider.System);
        }

        foreach (var proxy in setup.Proxies)
        {
            foreach (var (kind, n) in proxy.FiredCounts)
            {
                injected[kind] = injected.GetValueOrDefault(kind) + n;
            }

            proxy.Always(FaultKind.None);
        }

        await stop.CancelAsync();
        await follower;
        await setup.Chain.MineAsync(8);
        await Task.Delay(EvmFaultSetup.FastResilience.BreakDuration, TimeProvider.System);
        await indexer.RunPassAsync(CancellationToken.None);
        await indexer.RunPassAsync(CancellationToken.None);

        await setup.Harness.AssertStoreEqualsChainAsync(setup.Chain, "after the soak");
        var supply = await setup.Harness.SupplyAsync();
        Assert.Multiple(() =>
        {
            Assert.That(unexpected, Is.Empty, "only RpcUnavailableException may escape a pass: " + string.Join(" | ", unexpected.Select(e => e.GetType().Name + ": " + e.Message)));
            Assert.That(setup.Logs.Lines.Where(l => l.StartsWith("Critical", StringComparison.Ordinal) || l.Contains("Unhandled", StringComparison.Ordinal)), Is.Empty, "no critical log line");
            Assert.That(injected.Values.Sum(), Is.GreaterThan(50), "precondition: faults were really injected");
            Assert.That(passes, Is.GreaterThan(20), "the indexer kept making progress between faults");
            Assert.That(supply.FinalBlock, Is.GreaterThan(0));
        });
        ReliabilityLog.Record("soak (45 s, seed 0x" + Seed.ToString("x", System.Globalization.CultureInfo.InvariantCulture) + ")",
            $"random faults on both endpoints ({string.Join(", ", injected.OrderBy(k => k.Key).Select(k => $"{k.Key} ×{k.Value}"))}) while {string.Join(", ", counts.OrderBy(k => k.Key).Select(k => $"{k.Key} ×{k.Value}"))}",
            $"{passes} passes ok, {failures.GetValueOrDefault(nameof(RpcUnavailableException))} failed with RpcUnavailableException only, {supply.Reorgs} reorgs followed, 0 unexpected exceptions; store = chain ({(await setup.Harness.StoredKeysAsync()).Count} events)");
    }
}
