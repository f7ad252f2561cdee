using Usd1Reconciler.IntegrationTests.Fixtures;
using Usd1Reconciler.JsonRpc;

namespace Usd1Reconciler.IntegrationTests.Resilience;

/// <summary>
/// Each fault kind injected by a proxy in front of a real anvil, on the primary of two endpoints (the secondary is
/// clean) or on the only endpoint. The store must always end equal to the chain, with no false reorg.
/// </summary>
[TestFixture]
[Category("Integration")]
[Category("Resilience")]
public sealed class EvmFaultInjectionTests
{
    [TestCase(FaultKind.Latency, EndpointState.Degraded)]
    [TestCase(FaultKind.ConnectionReset, EndpointState.Degraded)]
    [TestCase(FaultKind.ServerError, EndpointState.Degraded)]
    [TestCase(FaultKind.TooManyRequests, EndpointState.RateLimited)]
    [TestCase(FaultKind.TruncatedBody, EndpointState.Degraded)]
    [TestCase(FaultKind.MalformedJson, EndpointState.Degraded)]
    [TestCase(FaultKind.WrongChainId, EndpointState.Untrusted)]
    [TestCase(FaultKind.LaggingHead, EndpointState.Untrusted)]
    [TestCase(FaultKind.OtherFork, EndpointState.Untrusted)]
    public async Task RunPass_PrimaryEndpointFaulty_SecondaryServesStoreEqualsChainNoReorg(FaultKind fault, EndpointState expected)
    {
        await using var setup = await EvmFaultSetup.StartAsync(proxies: 2);
        await using var fork = fault == FaultKind.OtherFork ? await AnvilNode.StartAsync() : null;
        if (fork is not null)
        {
            // Same chain id, another history: what a node left on a minority fork serves.
            var forkChain = new EvmTestChain(fork);
            await forkChain.DeployPlainAsync();
            await forkChain.MineAsync(40);
            setup.Proxies[0].Fork = fork.Url;
        }

        if (fault == FaultKind.LaggingHead)
        {
            // The lag (100) must exceed MaxHeadLag (64) and fit under the head.
            await setup.Chain.MineAsync(150);
        }

        var indexer = setup.NewIndexer();
        await indexer.RunPassAsync(CancellationToken.None);
        setup.Proxies[0].Always(fault);
        await setup.MintAndBurnAsync(2);

        var result = await indexer.RunPassAsync(CancellationToken.None);
        await setup.MintAndBurnAsync(1);
        var second = await indexer.RunPassAsync(CancellationToken.None);

        await setup.Harness.AssertStoreEqualsChainAsync(setup.Chain, $"primary endpoint faulty with {fault}");
        var primary = indexer.GetEndpointHealth()[0];
        Assert.Multiple(() =>
        {
            Assert.That(setup.Proxies[0].Fired(fault), Is.Positive, "precondition: the fault was injected");
            Assert.That(result.ReorgsHandled + second.ReorgsHandled, Is.Zero, "a faulty endpoint must never cause a false reorg");
            Assert.That(primary.State, Is.EqualTo(expected).Or.EqualTo(expected == EndpointState.Degraded ? EndpointState.Open : expected), $"the primary's health says what is wrong with it ({primary.LastError ?? primary.UntrustedReason})");
            Assert.That(indexer.GetEndpointHealth()[1].State, Is.EqualTo(EndpointState.Healthy), "the clean secondary served the passes");
            Assert.That(setup.Logs.Text, Does.Not.Contain("SECRET"), "endpoint URLs appear as scheme://host:port only");
        });
        ReliabilityLog.Record("EVM RPC", $"{fault} on the primary of 2 endpoints",
            $"primary {primary.State} ({primary.UntrustedReason ?? primary.LastError}); secondary served; store = chain; 0 reorgs");
    }

    [Test]
    public async Task RunPass_OnlyEndpointDownThenBack_FailsUnavailableThenCatchesUpWithNoGap()
    {
        await using var setup = await EvmFaultSetup.StartAsync(proxies: 1);
        var indexer = setup.NewIndexer();
        await indexer.RunPassAsync(CancellationToken.None);

        setup.Proxies[0].Always(FaultKind.ServerError);
        await setup.MintAndBurnAsync(3);
        var ex = Assert.ThrowsAsync<RpcUnavailableException>(() => indexer.RunPassAsync(CancellationToken.None));
        Assert.That(ex!.Message, Does.Contain("network 'anvil'").And.Contain("HTTP 503").And.Not.Contain("SECRET"), "the outage names network, endpoint and cause");
        var during = await setup.Harness.StoredKeysAsync();

        setup.Proxies[0].Always(FaultKind.None);
        await Task.Delay(TimeSpan.FromSeconds(1.1), TimeProvider.System);
        await setup.MintAndBurnAsync(2);
        var after = await indexer.RunPassAsync(CancellationToken.None);

        await setup.Harness.AssertStoreEqualsChainAsync(setup.Chain, "after the outage the indexer catches up from its committed tip");
        Assert.That(after.EventsAdded, Is.EqualTo(10), "the 3 rounds missed during the outage and the 2 after it, each a mint and a burn: no gap, nothing twice");
        Assert.That(during, Is.Not.Empty);
        ReliabilityLog.Record("EVM RPC", "only endpoint answers HTTP 503 (outage), then recovers",
            "pass fails with RpcUnavailableException naming network/endpoint/HTTP 503; store untouched; next pass catches up 10 events, store = chain");
    }

    [Test]
    public async Task RunPass_PrimaryRecovers_TrafficReturnsToPrimary()
    {
        await using var setup = await EvmFaultSetup.StartAsync(proxies: 2);
        var indexer = setup.NewIndexer();
        setup.Proxies[0].Always(FaultKind.ServerError);
        for (var i = 0; i < 3; i++)
        {
            await indexer.RunPassAsync(CancellationToken.None);
            await Task.Delay(EvmFaultSetup.FastResilience.MaxBackoff, TimeProvider.System);
        }

        Assert.That(indexer.GetEndpointHealth()[0].State, Is.EqualTo(EndpointState.Open), "precondition: primary circuit open after 3 failures in a row");

        setup.Proxies[0].Always(FaultKind.None);
        await Task.Delay(EvmFaultSetup.FastResilience.BreakDuration + TimeSpan.FromMilliseconds(100), TimeProvider.System);
        var before = setup.Proxies[1].Requests;
        await setup.MintAndBurnAsync(1);
        await indexer.RunPassAsync(CancellationToken.None);
        await indexer.RunPassAsync(CancellationToken.None);

        var secondaryCalls = setup.Proxies[1].Requests - before;
        Assert.That(indexer.GetEndpointHealth()[0].State, Is.EqualTo(EndpointState.Healthy), "the half-open trial succeeded");
        Assert.That(secondaryCalls, Is.LessThanOrEqualTo(2), "after recovery data calls go to the primary again (the secondary only gets its per-pass probe)");
        await setup.Harness.AssertStoreEqualsChainAsync(setup.Chain, "after failover and back");
        ReliabilityLog.Record("EVM RPC", "primary HTTP 503 until its circuit opens, then healthy again",
            $"secondary serves meanwhile; after the 1 s break the primary is tried, heals and serves again (secondary got {secondaryCalls} probe request(s) in 2 passes)");
    }

    [Test]
    public async Task RunPass_OnlyEndpointLagsWithinLimit_NoFalseReorgStoreUnchanged()
    {
        await using var setup = await EvmFaultSetup.StartAsync(proxies: 1, confirmations: 4);
        var indexer = setup.NewIndexer();
        await indexer.RunPassAsync(CancellationToken.None);
        var before = await setup.Harness.StoredKeysAsync();
        var tipBefore = (await setup.Harness.SupplyAsync()).IndexedBlock;

        setup.Proxies[0].LagBlocks = 3;
        setup.Proxies[0].Always(FaultKind.LaggingHead);
        var lagging = await indexer.RunPassAsync(CancellationToken.None);

        Assert.That(lagging.ReorgsHandled, Is.Zero, "a node 3 blocks behind our tip is behind, not forked");
        Assert.That(await setup.Harness.StoredKeysAsync(), Is.EqualTo(before), "nothing rolled back");
        Assert.That((await setup.Harness.SupplyAsync()).IndexedBlock, Is.EqualTo(tipBefore), "the tip stays where it was");
        Assert.That(setup.Proxies[0].Fired(FaultKind.LaggingHead), Is.Positive);

        setup.Proxies[0].Always(FaultKind.None);
        await setup.MintAndBurnAsync(1);
        await indexer.RunPassAsync(CancellationToken.None);
        await setup.Harness.AssertStoreEqualsChainAsync(setup.Chain, "after the node caught up");
        ReliabilityLog.Record("EVM RPC", "only endpoint's head 3 blocks below the indexed tip (syncing node, within MaxHeadLag)",
            "pass does nothing: 0 reorgs, tip and events unchanged (before the fix this rolled back 3 blocks as a false reorg); later pass catches up");
    }

    [TestCase(FaultKind.LogRangeCap)]
    [TestCase(FaultKind.LogResultCap)]
    [TestCase(FaultKind.ResponseSizeCap)]
    public async Task RunPass_ProviderLimitsGetLogs_RangesSplitStoreEqualsChain(FaultKind limit)
    {
        await using var setup = await EvmFaultSetup.StartAsync(proxies: 1, confirmations: 1);
        for (var i = 0; i < 6; i++)
        {
            // 120 mints in one transaction: ~75 KB of logs per block, so only small ranges fit the caps.
            await setup.Chain.SendAsync(EvmTestChain.Deployer, setup.Token, Abi.Call("mintMany(address,uint256,uint256)", EvmTestChain.Bob, 7, 120));
            await setup.Chain.SendAsync(EvmTestChain.Deployer, setup.Token, Abi.Call("burnMany(address,uint256,uint256)", EvmTestChain.Bob, 3, 40));
        }

        await setup.Chain.MineAsync(2);
        var proxy = setup.Proxies[0];
        proxy.LogRangeCap = 3;
        proxy.LogResultCap = 200;
        proxy.ResponseSizeCap = 160 * 1024;
        proxy.Always(limit, "eth_getLogs");
        var indexer = setup.NewIndexer(maxBlockRange: 2000, requestTimeout: TimeSpan.FromSeconds(10));

        var result = await indexer.RunPassAsync(CancellationToken.None);

        await setup.Harness.AssertStoreEqualsChainAsync(setup.Chain, $"eth_getLogs limited by {limit}");
        Assert.That(setup.Logs.Text, Does.Contain("hit a provider limit"), "the split is logged");
        Assert.That(result.EventsAdded, Is.EqualTo(6 * 160 + 6), "every event once: 720 + 240 from the batches, 6 from the setup");
        ReliabilityLog.Record("EVM getLogs", $"{limit} (range cap 3 blocks / result cap 200 logs / 160 KB response cap)",
            $"ranges halved until accepted; {result.EventsAdded} events indexed, store = chain");
    }

    [Test]
    public async Task RunPass_FinalBlocksAfterALinkedTipUnderOneBlockCap_OneBlockRangesCommitStoreEqualsChain()
    {
        await using var setup = await EvmFaultSetup.StartAsync(proxies: 1, confirmations: 1);
        var indexer = setup.NewIndexer(maxBlockRange: 2000, requestTimeout: TimeSpan.FromSeconds(10));
        // First pass: the tip is the unfinal head, so its hash is stored and the next pass links onto it.
        await indexer.RunPassAsync(CancellationToken.None);
        for (var i = 0; i < 4; i++)
        {
            await setup.Chain.SendAsync(EvmTestChain.Deployer, setup.Token, Abi.Call("mintMany(address,uint256,uint256)", EvmTestChain.Bob, 5, 3));
        }

        await setup.Chain.MineAsync(4);
        var proxy = setup.Proxies[0];
        proxy.LogRangeCap = 1;
        proxy.Always(FaultKind.LogRangeCap, "eth_getLogs");

        // Every range is split to one block. The first links onto the stored tip (its header is read); the final
        // one-block ranges behind it read no header, and must commit all the same (they once failed with "block N was
        // not read, so it cannot be linked onto the tip": found by the soak test under load).
        var result = await indexer.RunPassAsync(CancellationToken.None);

        await setup.Harness.AssertStoreEqualsChainAsync(setup.Chain, "final blocks indexed one block per range after a linked tip");
        Assert.That(result.EventsAdded, Is.EqualTo(4 * 3), "every mint of the second stretch once");
    }
}
