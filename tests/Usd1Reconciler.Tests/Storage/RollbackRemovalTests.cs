using Usd1Reconciler.Core.Ingest;
using Usd1Reconciler.Storage;

namespace Usd1Reconciler.Tests.Storage;

/// <summary>The rollback guard both supply stores run for their supply events and governance changes.</summary>
public sealed class RollbackRemovalTests
{
    private static ChainReorganization Reorg(params string[] droppedSignatures) =>
        ReorgOf(droppedSignatures.Select(s => new RemovedTransaction(101, s)).ToArray());

    private static ChainReorganization ReorgOf(params RemovedTransaction[] dropped) =>
        new(7, 100, "0xancestor", 3, "0xold", "0xnew", new DateTimeOffset(2026, 12, 1, 12, 0, 0, TimeSpan.Zero), dropped);

    [Test]
    public void RemoveAsync_AFinalRowWouldGo_RefusesNamingTheCountAndRemovesNothing()
    {
        var removed = false;

        var error = Assert.ThrowsAsync<InvalidOperationException>(() => RollbackRemoval.RemoveAsync(
            Reorg(), "final governance changes", _ => Task.FromResult(2L), _ => { removed = true; return Task.FromResult(5); }));

        Assert.That(error!.Message, Is.EqualTo("rollback on network 7 would remove 2 final governance changes; final history is never rewritten"));
        Assert.That(removed, Is.False, "the guard runs before the delete");
    }

    [Test]
    public async Task RemoveAsync_NothingFinal_RemovesAndReturnsTheCount()
    {
        var removed = await RollbackRemoval.RemoveAsync(Reorg(), "final events", _ => Task.FromResult(0L), _ => Task.FromResult(5));

        Assert.That(removed, Is.EqualTo(5));
    }

    [TestCase(new string[0], false)]
    [TestCase(new[] { "sig1" }, true)]
    public async Task RemoveAsync_DroppedSignaturesNamed_BySignatureElseByBlock(string[] signatures, bool bySignature)
    {
        var asked = new List<bool>();

        await RollbackRemoval.RemoveAsync(
            Reorg(signatures), "final events", s => { asked.Add(s); return Task.FromResult(0L); }, s => { asked.Add(s); return Task.FromResult(0); });

        Assert.That(asked, Is.EqualTo(new[] { bySignature, bySignature }), "the count and the delete select the same rows");
    }

    [Test]
    public void SlotsAndTransactionIds_SignaturesOverSeveralSlots_EachDistinctOnceInOrder()
    {
        var reorg = ReorgOf(new RemovedTransaction(105, "sigC"), new RemovedTransaction(101, "sigB"), new RemovedTransaction(105, "sigA"), new RemovedTransaction(101, "sigB"));

        Assert.Multiple(() =>
        {
            Assert.That(RollbackRemoval.Slots(reorg), Is.EqualTo(new[] { 101L, 105L }), "one seek per slot, whatever the number of signatures in it");
            Assert.That(RollbackRemoval.TransactionIds(reorg), Is.EqualTo(new[] { "sigA", "sigB", "sigC" }), "ordinal order, as the reorg record lists them");
        });
    }

    [Test]
    public void SlotsAndTransactionIds_RollbackByBlock_Empty()
    {
        var reorg = ReorgOf();

        Assert.That(RollbackRemoval.Slots(reorg), Is.Empty);
        Assert.That(RollbackRemoval.TransactionIds(reorg), Is.Empty);
    }
}
