using System.Diagnostics;
using System.Numerics;
using Usd1Reconciler.Core.Supply;
using Usd1Reconciler.IntegrationTests.Fixtures;

namespace Usd1Reconciler.IntegrationTests.Solana;

[TestFixture]
[Category("Integration")]
public sealed class SolanaIndexerTests
{
    /// <summary>With the devnet's lag of 32, closing this many slots makes everything sent so far finalized.</summary>
    private const int SlotsToFinalize = 33;

    [TestCase("token", false, false, false, TestName = "RunPass_AllFourKindsOnToken_IndexedAndLedgerProofHolds")]
    [TestCase("token2022", true, true, false, TestName = "RunPass_AllFourKindsOnToken2022MultisigV0_IndexedAndLedgerProofHolds")]
    [TestCase("token", false, false, true, TestName = "RunPass_AllFourKindsOnTokenV1_IndexedAndLedgerProofHolds")]
    public async Task RunPass_AllFourKinds_IndexedAndLedgerProofHolds(string program, bool multisig, bool v0, bool v1)
    {
        await using var devnet = await SolanaDevnetFixture.StartAsync();
        using var driver = await SolanaDriver.SetupAsync(devnet, program, multisig, v0, v1);
        var mint = await driver.MintAsync(5_000_000);
        var mintChecked = await driver.MintAsync(2_500_000, isChecked: true);
        var burn = await driver.BurnAsync(1_000_000);
        var burnChecked = await driver.BurnAsync(250_000, isChecked: true);
        await driver.TransferAsync(10);
        await devnet.AdvanceSlotsAsync(SlotsToFinalize);
        using var harness = new SolanaIndexerHarness(devnet, driver.Mint);

        var result = await harness.RunPassAsync();

        Assert.Multiple(() =>
        {
            Assert.That(result.EventsAdded, Is.EqualTo(4), "two mints and two burns; setup and the transfer change no supply");
            Assert.That(result.Proof, Is.EqualTo(LedgerProofStatus.Ok), "Σ final events must equal getTokenSupply at the finalized slot");
            Assert.That(result.ReorgsHandled, Is.Zero);
        });
        var events = await harness.EventsAsync();
        Assert.That(events.Select(e => (e.Event.TransactionId, e.Event.Kind, e.Event.Amount.ToString(), e.IsFinal)), Is.EqualTo(new[]
        {
            (mint, SupplyEventKind.Mint, "5000000", true),
            (mintChecked, SupplyEventKind.Mint, "2500000", true),
            (burn, SupplyEventKind.Burn, "1000000", true),
            (burnChecked, SupplyEventKind.Burn, "250000", true),
        }), "each instruction kind is one event, in chain order, final once its slot is finalized");
        Assert.Multiple(() =>
        {
            Assert.That(events.Take(2).Select(e => e.Event.Actor), Is.All.EqualTo(driver.MintAuthority),
                multisig ? "a multisig mint authority is the actor, not its signers" : "the mint authority is the actor");
            Assert.That(events.Skip(2).Select(e => e.Event.Actor), Is.All.EqualTo(driver.Holder), "the token account owner burns");
            Assert.That(events.Select(e => e.Event.Holder), Is.All.EqualTo(driver.TokenAccount), "mints go to and burns come from accounts.a");
        });
        var supply = await harness.SupplyAsync();
        Assert.That(supply.IndexedSupply, Is.EqualTo(new BigInteger(6_250_000)));

        var again = await harness.RunPassAsync();
        Assert.Multiple(() =>
        {
            Assert.That(again.EventsAdded, Is.Zero, "a second pass over an unchanged chain adds nothing");
            Assert.That(again.Proof, Is.EqualTo(LedgerProofStatus.Ok));
        });
    }

    [Test]
    public async Task RunPass_FailedTransactions_Ignored()
    {
        await using var devnet = await SolanaDevnetFixture.StartAsync();
        using var driver = await SolanaDriver.SetupAsync(devnet);
        await driver.MintAsync(3_000_000);
        await driver.FailingBurnAsync();
        await driver.FailingBurnAsync();
        await devnet.AdvanceSlotsAsync(SlotsToFinalize);
        using var harness = new SolanaIndexerHarness(devnet, driver.Mint);

        var result = await harness.RunPassAsync();

        Assert.Multiple(() =>
        {
            Assert.That(result.EventsAdded, Is.EqualTo(1), "failed burns landed (fee charged) but burnt nothing");
            Assert.That(result.Proof, Is.EqualTo(LedgerProofStatus.Ok), "counting a failed burn would break the ledger proof");
        });
    }

    [Test]
    public async Task RunPass_DroppedUnfinalizedFork_RolledBackAndCounted()
    {
        await using var devnet = await SolanaDevnetFixture.StartAsync();
        using var driver = await SolanaDriver.SetupAsync(devnet);
        await driver.MintAsync(1_000_000);
        await devnet.AdvanceSlotsAsync(SlotsToFinalize);
        using var harness = new SolanaIndexerHarness(devnet, driver.Mint);
        var first = await harness.RunPassAsync();
        Assert.That(first.Proof, Is.EqualTo(LedgerProofStatus.Ok), "precondition: the finalized mint is proven");

        var doomed = await driver.MintAsync(7_000_000);
        var provisional = await harness.RunPassAsync();
        Assert.Multiple(() =>
        {
            Assert.That(provisional.EventsAdded, Is.EqualTo(1), "the confirmed mint is indexed at confirmed");
            Assert.That(provisional.Proof, Is.EqualTo(LedgerProofStatus.Ok), "the provisional mint is not final, so the finalized ledger still matches");
        });
        Assert.That((await harness.SupplyAsync()).ProvisionalSupply, Is.EqualTo(new BigInteger(8_000_000)));

        var dropped = await devnet.DropUnfinalizedAsync();
        Assert.That(dropped, Is.GreaterThanOrEqualTo(1), "precondition: the devnet abandoned the fork with the second mint");
        await devnet.AdvanceSlotsAsync(SlotsToFinalize);
        var afterDrop = await harness.RunPassAsync();

        Assert.Multiple(() =>
        {
            Assert.That(afterDrop.ReorgsHandled, Is.EqualTo(1), "a confirmed signature that never finalized is a dropped fork");
            Assert.That(afterDrop.Proof, Is.EqualTo(LedgerProofStatus.Ok), "the ledger without the dropped mint matches the chain");
        });
        var supply = await harness.SupplyAsync();
        var events = await harness.EventsAsync();
        Assert.Multiple(() =>
        {
            Assert.That(supply.Reorgs, Is.EqualTo(1), "the rollback is recorded in the store");
            Assert.That(supply.ProvisionalSupply, Is.EqualTo(new BigInteger(1_000_000)), "the dropped mint's event is gone");
            Assert.That(events.Select(e => e.Event.TransactionId), Does.Not.Contain(doomed));
        });

        // The winning fork goes on: the next mint is indexed although the stored tip signature vanished.
        await driver.MintAsync(2_000_000);
        await devnet.AdvanceSlotsAsync(SlotsToFinalize);
        var next = await harness.RunPassAsync();
        Assert.Multiple(() =>
        {
            Assert.That(next.EventsAdded, Is.EqualTo(1), "the mint after the fork switch is indexed");
            Assert.That(next.ReorgsHandled, Is.Zero);
            Assert.That(next.Proof, Is.EqualTo(LedgerProofStatus.Ok));
        });
    }

    // The node's 1000-signature pages, all in memory; then 50-signature pages with only two kept in memory, so that
    // 24 of the 26 pages spill to the pass's temporary file and come back from it oldest first. Both cases index the
    // same chain (each into its own store): sending 1,250 transactions is most of the test's time, and the indexer
    // only reads the chain.
    [TestCase(1000, 10)]
    [TestCase(50, 2)]
    public async Task RunPass_MoreThanOnePageOfSignatures_AllIndexedExactlyOnce(int pageSize, int pagesInMemory)
    {
        var chain = await PagedChainAsync();
        using var harness = new SolanaIndexerHarness(chain.Devnet, chain.Driver.Mint, configure: s => s with { PageSize = pageSize, SignaturePagesInMemory = pagesInMemory });

        var passClock = Stopwatch.StartNew();
        var result = await harness.RunPassAsync();
        passClock.Stop();
        await TestContext.Out.WriteLineAsync(
            $"sent {chain.Sent} transactions in {chain.SendSeconds:0.00} s; first pass over {chain.Sent + 1} signatures took {passClock.Elapsed.TotalSeconds:0.00} s");

        var events = await harness.EventsAsync();
        Assert.Multiple(() =>
        {
            Assert.That(result.EventsAdded, Is.EqualTo(PagedMints + PagedBurns), $"every mint and burn across pages of {pageSize} signatures");
            Assert.That(events.Select(e => e.Event.TransactionId).Distinct().Count(), Is.EqualTo(PagedMints + PagedBurns), "each signature exactly once");
            Assert.That(events, Has.All.Matches<(SupplyEvent Event, bool IsFinal)>(e => e.IsFinal), "all are finalized");
            Assert.That(result.Proof, Is.EqualTo(LedgerProofStatus.Ok), "the ledger proof holds over the whole history");
        });

        var again = await harness.RunPassAsync();
        Assert.That(again.EventsAdded, Is.Zero, "a second pass adds nothing");
    }

    private const int PagedMints = 1_100;
    private const int PagedBurns = 150;

    private PagedChain? _pagedChain;

    private sealed record PagedChain(SolanaDevnetFixture Devnet, SolanaDriver Driver, int Sent, double SendSeconds);

    private async Task<PagedChain> PagedChainAsync()
    {
        if (_pagedChain is { } ready)
        {
            return ready;
        }

        var devnet = await SolanaDevnetFixture.StartAsync();
        var driver = await SolanaDriver.SetupAsync(devnet);
        var sendClock = Stopwatch.StartNew();
        var sent = await driver.BulkAsync(PagedMints, PagedBurns);
        sendClock.Stop();
        Assert.That(sent, Is.EqualTo(PagedMints + PagedBurns), "precondition: the driver landed every transaction");
        await devnet.AdvanceSlotsAsync(SlotsToFinalize);
        return _pagedChain = new PagedChain(devnet, driver, sent, sendClock.Elapsed.TotalSeconds);
    }

    [OneTimeTearDown]
    public async Task StopPagedChain()
    {
        if (_pagedChain is { } chain)
        {
            chain.Driver.Dispose();
            await chain.Devnet.DisposeAsync();
        }
    }

    [Test]
    public async Task RunPass_SecondPassAfterNewActivity_AddsOnlyTheNewEvents()
    {
        await using var devnet = await SolanaDevnetFixture.StartAsync();
        using var driver = await SolanaDriver.SetupAsync(devnet);
        await driver.MintAsync(4_000_000);
        using var harness = new SolanaIndexerHarness(devnet, driver.Mint);
        var first = await harness.RunPassAsync();
        Assert.That(first.EventsAdded, Is.EqualTo(1), "precondition: the confirmed mint is indexed before it is finalized");

        var unchanged = await harness.RunPassAsync();
        await driver.BurnAsync(500_000, isChecked: true);
        await devnet.AdvanceSlotsAsync(SlotsToFinalize);
        var afterBurn = await harness.RunPassAsync();

        Assert.Multiple(() =>
        {
            Assert.That(unchanged.EventsAdded, Is.Zero, "nothing new on chain, nothing new in the store");
            Assert.That(afterBurn.EventsAdded, Is.EqualTo(1), "only the burn is new; the mint is not stored twice");
            Assert.That(afterBurn.Proof, Is.EqualTo(LedgerProofStatus.Ok));
            Assert.That(afterBurn.FinalBlock, Is.EqualTo(afterBurn.IndexedTip), "once every slot is finalized, everything indexed is final");
        });
        Assert.That((await harness.SupplyAsync()).IndexedSupply, Is.EqualTo(new BigInteger(3_500_000)));
    }
}
