using Usd1Reconciler.Core.Ingest;
using Usd1Reconciler.Core.Supply;
using Usd1Reconciler.IntegrationTests.Fixtures;

namespace Usd1Reconciler.IntegrationTests.Evm;

/// <summary>Real reorganisations made by anvil_reorg, followed by the indexer.</summary>
[TestFixture]
[Category("Integration")]
public sealed class EvmReorgTests
{
    [Test]
    public async Task RunPass_ReorgsOfDepthOneToTen_StoreEndsEqualToChain()
    {
        await using var node = await AnvilNode.StartAsync();
        var chain = new EvmTestChain(node);
        var token = await chain.DeployUsd1Async();
        // Nothing becomes final within the test, so every reorg is one the indexer must follow.
        using var harness = new EvmIndexerHarness(node, token, confirmations: 50);
        var expectedReorgs = 0;

        for (var depth = 1; depth <= 10; depth++)
        {
            for (var i = 0; i < depth + 1; i++)
            {
                await chain.MintAsync(token, EvmTestChain.Alice, (depth * 100) + i);
            }

            await chain.BurnOwnAsync(token, 0);
            await harness.RunPassAsync();
            await harness.AssertStoreEqualsChainAsync(chain, $"before the depth-{depth} reorg");

            // Alternate the replacement: other mints at other offsets, a burn, or an empty fork.
            var replacements = (depth % 3) switch
            {
                0 => new List<(string, string, int)>(),
                1 => [(token, Abi.Call("mint(address,uint256)", EvmTestChain.Bob, 7_000 + depth), 0)],
                _ => [(token, Abi.Call("mint(address,uint256)", EvmTestChain.Bob, 9_000 + depth), 0), (token, Abi.Call("mint(address,uint256)", EvmTestChain.Alice, 11), depth - 1)],
            };
            await chain.ReorgAsync(depth, replacements);

            var result = await harness.RunPassAsync();
            expectedReorgs++;
            Assert.That(result.ReorgsHandled, Is.EqualTo(1), $"the depth-{depth} reorg must be seen");
            await harness.AssertStoreEqualsChainAsync(chain, $"after the depth-{depth} reorg");
        }

        var supply = await harness.SupplyAsync();
        Assert.That(supply.Reorgs, Is.EqualTo(expectedReorgs), "every reorg is recorded");
    }

    [Test]
    public async Task RunPass_ReorgsWhileFollowingTheHead_StoreEndsEqualToChain()
    {
        await using var node = await AnvilNode.StartAsync();
        var chain = new EvmTestChain(node);
        var token = await chain.DeployUsd1Async();
        using var harness = new EvmIndexerHarness(node, token, confirmations: 40);
        var indexer = harness.NewIndexer();
        using var stop = new CancellationTokenSource();
        var passes = 0;
        var follower = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                await indexer.RunPassAsync(CancellationToken.None);
                passes++;
                await Task.Delay(TimeSpan.FromMilliseconds(5), TimeProvider.System);
            }
        });

        for (var round = 0; round < 8; round++)
        {
            for (var i = 0; i < 4; i++)
            {
                await chain.MintAsync(token, EvmTestChain.Alice, 1 + i + (round * 10));
            }

            await chain.ReorgAsync(1 + (round % 4), [(token, Abi.Call("mint(address,uint256)", EvmTestChain.Bob, 500 + round), 0)]);
        }

        await stop.CancelAsync();
        await follower;
        await indexer.RunPassAsync(CancellationToken.None);

        Assert.That(passes, Is.GreaterThan(0));
        await harness.AssertStoreEqualsChainAsync(chain, "after reorgs made while the indexer followed the head");
    }

    [Test]
    public async Task RunPass_ReorgDeeperThanFinality_RefusedAndStoreUnchanged()
    {
        await using var node = await AnvilNode.StartAsync();
        var chain = new EvmTestChain(node);
        var token = await chain.DeployUsd1Async();
        for (var i = 0; i < 10; i++)
        {
            await chain.MintAsync(token, EvmTestChain.Alice, 100 + i);
        }

        using var harness = new EvmIndexerHarness(node, token, confirmations: 3);
        await harness.RunPassAsync();
        var before = await harness.StoredKeysAsync();
        var finalBefore = (await harness.SupplyAsync()).FinalBlock;

        await chain.ReorgAsync(6, [(token, Abi.Call("mint(address,uint256)", EvmTestChain.Bob, 42), 0)]);

        var ex = Assert.ThrowsAsync<DeepReorganizationException>(() => harness.RunPassAsync());
        Assert.That(ex!.FinalBlock, Is.EqualTo(finalBefore));
        Assert.That(ex.Message, Does.Contain("deeper than the finality depth"));
        Assert.That(await harness.StoredKeysAsync(), Is.EqualTo(before), "final history is never silently rewritten");
        Assert.That((await harness.SupplyAsync()).Reorgs, Is.Zero);
    }

    [Test]
    public async Task RunPass_FinalityFromNodeTag_EventsBelowFinalizedArePromoted()
    {
        await using var node = await AnvilNode.StartAsync();
        var chain = new EvmTestChain(node);
        var token = await chain.DeployUsd1Async();
        await chain.MintAsync(token, EvmTestChain.Alice, 5);
        using var harness = new EvmIndexerHarness(node, token, confirmations: null);

        await harness.RunPassAsync();
        var early = await harness.SupplyAsync();
        Assert.That(early.FinalMints, Is.Zero, "anvil's finalized tag is head-64: a fresh mint is provisional");
        Assert.That(early.ProvisionalSupply, Is.EqualTo(new System.Numerics.BigInteger(5)));

        await chain.MineAsync(70);
        var result = await harness.RunPassAsync();

        var late = await harness.SupplyAsync();
        Assert.That(late.FinalMints, Is.EqualTo(1), "70 blocks later the mint is below the finalized block");
        Assert.That(result.Proof, Is.EqualTo(LedgerProofStatus.Ok));
    }
}
