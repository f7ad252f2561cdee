using System.Numerics;
using Usd1Reconciler.Core.Amounts;
using Usd1Reconciler.Core.Supply;
using Usd1Reconciler.IntegrationTests.Fixtures;

namespace Usd1Reconciler.IntegrationTests.Evm;

[TestFixture]
[Category("Integration")]
public sealed class EvmIndexerTests
{
    [Test]
    public async Task RunPass_Usd1MintsAndBurns_StoredWithMinterAndLedgerProofHolds()
    {
        await using var node = await AnvilNode.StartAsync();
        var chain = new EvmTestChain(node);
        var token = await chain.DeployUsd1Async();
        await chain.MintAsync(token, EvmTestChain.Alice, EvmIndexerHarness.Units(1_000));
        await chain.MintAsync(token, EvmTestChain.Deployer, EvmIndexerHarness.Units(250));
        await chain.BurnOwnAsync(token, EvmIndexerHarness.Units(100));
        await chain.TransferAsync(token, EvmTestChain.Alice, EvmTestChain.Bob, EvmIndexerHarness.Units(5));

        using var harness = new EvmIndexerHarness(node, token, confirmations: 0);
        var result = await harness.RunPassAsync();

        Assert.That(result.EventsAdded, Is.EqualTo(3), "two mints and one burn; the transfer changes no supply");
        Assert.That(result.Proof, Is.EqualTo(LedgerProofStatus.Ok));
        var supply = await harness.SupplyAsync();
        Assert.Multiple(() =>
        {
            Assert.That(supply.IndexedSupply, Is.EqualTo(EvmIndexerHarness.Units(1_150)));
            Assert.That(supply.FinalMints, Is.EqualTo(2));
            Assert.That(supply.FinalBurns, Is.EqualTo(1));
        });
        var events = await harness.Store.GetEventsAsync(supply.NetworkId, CancellationToken.None);
        Assert.That(events.Select(e => e.Event.Actor), Is.All.EqualTo(EvmTestChain.Deployer), "USD1 names its minter/burner in Mint/Burn logs");
        await harness.AssertStoreEqualsChainAsync(chain, "after a plain backfill");

        var again = await harness.RunPassAsync();
        Assert.That(again.EventsAdded, Is.Zero, "a second pass over an unchanged chain must add nothing");
    }

    [Test]
    public async Task RunPass_TransferOnlyToken_MintsAndBurnsFromTransfersWithoutActor()
    {
        await using var node = await AnvilNode.StartAsync();
        var chain = new EvmTestChain(node);
        var token = await chain.DeployPlainAsync();
        await chain.MintAsync(token, EvmTestChain.Alice, 700);
        await chain.PlainBurnAsync(token, EvmTestChain.Alice, 200);
        await chain.SendAsync(EvmTestChain.Deployer, token, Abi.Call("mintMany(address,uint256,uint256)", EvmTestChain.Bob, 3, 50));

        using var harness = new EvmIndexerHarness(node, token, confirmations: 0);
        var result = await harness.RunPassAsync();

        Assert.That(result.Proof, Is.EqualTo(LedgerProofStatus.Ok));
        var supply = await harness.SupplyAsync();
        Assert.That(supply.FinalMints, Is.EqualTo(51));
        Assert.That(supply.IndexedSupply, Is.EqualTo(new BigInteger(700 - 200 + 150)));
        var events = await harness.Store.GetEventsAsync(supply.NetworkId, CancellationToken.None);
        Assert.That(events.Select(e => e.Event.Actor), Is.All.Null, "a token with only Transfer events does not name its minter");
        await harness.AssertStoreEqualsChainAsync(chain, "transfer-only token");
    }

    [Test]
    public async Task RunPass_MintOfTwoTo256MinusOne_RoundTripsExactly()
    {
        await using var node = await AnvilNode.StartAsync();
        var chain = new EvmTestChain(node);
        var token = await chain.DeployUsd1Async();
        await chain.MintAsync(token, EvmTestChain.Alice, TokenAmount.MaxValue);

        using var harness = new EvmIndexerHarness(node, token, confirmations: 0);
        var result = await harness.RunPassAsync();

        var supply = await harness.SupplyAsync();
        Assert.That(supply.IndexedSupply, Is.EqualTo(TokenAmount.MaxValue), "2^256-1 must survive decoding, storage as text and summing");
        Assert.That(result.Proof, Is.EqualTo(LedgerProofStatus.Ok));
        Assert.That(supply.LatestProof!.OnchainSupply.Value, Is.EqualTo(TokenAmount.MaxValue));
    }

    [Test]
    public async Task RunPass_SupplyPokedWithoutEvent_LedgerProofMismatch()
    {
        await using var node = await AnvilNode.StartAsync();
        var chain = new EvmTestChain(node);
        var token = await chain.DeployUsd1Async();
        await chain.MintAsync(token, EvmTestChain.Alice, 1_000);
        using var harness = new EvmIndexerHarness(node, token, confirmations: 0);
        Assert.That((await harness.RunPassAsync()).Proof, Is.EqualTo(LedgerProofStatus.Ok));

        // totalSupply is storage slot 0 of the USD1 token (contracts/README.md): raise it with no event at all.
        await node.CallAsync("anvil_setStorageAt", token, "0x0", "0x" + Abi.Word(1_001));
        await chain.MineAsync();
        var result = await harness.RunPassAsync();

        Assert.That(result.Proof, Is.EqualTo(LedgerProofStatus.Mismatch), "a supply change with no event must not pass as ok");
        var proof = (await harness.SupplyAsync()).LatestProof!;
        Assert.That(proof.OnchainSupply.Value - proof.IndexedSupply, Is.EqualTo(BigInteger.One));
    }

    [Test]
    public async Task RunPass_ConfiguredChainIdDiffers_RefusedBeforeAnythingIsStored()
    {
        await using var node = await AnvilNode.StartAsync(chainId: 31337);
        var chain = new EvmTestChain(node);
        var token = await chain.DeployUsd1Async();
        using var harness = new EvmIndexerHarness(node, token, confirmations: 0);
        var wrong = harness.Settings with { ChainId = 1 };
        var indexer = Usd1Reconciler.Evm.Indexing.EvmIndexer.Create(wrong, harness.Store, new HttpClient(), TimeProvider.System, Microsoft.Extensions.Logging.Abstractions.NullLoggerFactory.Instance);

        var ex = Assert.ThrowsAsync<Usd1Reconciler.Evm.Indexing.ChainIdMismatchException>(() => indexer.RunPassAsync(CancellationToken.None));

        Assert.That(ex!.Message, Does.Contain("configured ChainId 1").And.Contain("31337"));
        Assert.That(await harness.Store.GetSupplyAsync(CancellationToken.None), Is.Empty, "nothing may be registered for a chain that failed its identity check");
    }

    [Test]
    public async Task RunPass_CommitFailsMidBackfillThenRestart_NoEventLostOrDuplicated()
    {
        await using var node = await AnvilNode.StartAsync();
        var chain = new EvmTestChain(node);
        var token = await chain.DeployUsd1Async();
        for (var i = 1; i <= 12; i++)
        {
            await chain.MintAsync(token, EvmTestChain.Alice, i);
        }

        // Small ranges make many batches; the third commit fails after its logs and headers were fetched.
        using var harness = new EvmIndexerHarness(node, token, confirmations: 0, maxBlockRange: 3);
        var faulty = new FailingCommitStore(harness.Store, failOnCommit: 3);
        Assert.ThrowsAsync<InjectedFaultException>(() => harness.NewIndexer(faulty).RunPassAsync(CancellationToken.None));
        var partial = await harness.StoredKeysAsync();
        Assert.That(partial, Has.Count.EqualTo(4), "the two committed batches cover blocks 0-5: the deployment at block 1 and the first four mints");

        harness.ReopenStore();
        var result = await harness.RunPassAsync();

        Assert.That(result.Proof, Is.EqualTo(LedgerProofStatus.Ok));
        await harness.AssertStoreEqualsChainAsync(chain, "after a failed commit and a restart");
        Assert.That((await harness.SupplyAsync()).FinalMints, Is.EqualTo(12));
    }
}
