using Usd1Reconciler.Core.Ingest;
using Usd1Reconciler.Storage;

namespace Usd1Reconciler.Tests.Storage;

/// <summary>The rollback guard both supply stores run for their supply events and governance changes.</summary>
public sealed class RollbackRemovalTests
{
    private static ChainReorganization Reorg(params string[] droppedSignatures) =>
        new(7, 100, "0xancestor", 3, "0xold", "0xnew", new DateTimeOffset(2026, 12, 1, 12, 0, 0, TimeSpan.Zero), droppedSignatures);

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
}
