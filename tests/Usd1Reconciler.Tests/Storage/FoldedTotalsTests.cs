using System.Numerics;
using Usd1Reconciler.Core.Amounts;
using Usd1Reconciler.Core.Supply;
using Usd1Reconciler.Storage;

namespace Usd1Reconciler.Tests.Storage;

public sealed class FoldedTotalsTests
{
    private static readonly DateTimeOffset At = new(2026, 12, 1, 12, 0, 0, TimeSpan.Zero);

    private static SupplyEvent Event(SupplyEventKind kind, long block, BigInteger amount) =>
        new(kind, block, $"0xb{block}", $"0xt{block}", 0, SupplyEvent.TopLevel, null, "0xholder", new TokenAmount(amount), At);

    [Test]
    public void FinalIn_EventsAtOrBelowFinalThrough_FoldedExactly_AboveLeftOut()
    {
        SupplyEvent[] batch = [Event(SupplyEventKind.Mint, 9, TokenAmount.MaxValue), Event(SupplyEventKind.Burn, 10, 4), Event(SupplyEventKind.Mint, 11, 7)];

        var folded = FoldedTotals.FinalIn(batch, finalThrough: 10);

        Assert.That((folded.Minted, folded.Mints, folded.Burned, folded.Burns), Is.EqualTo((TokenAmount.MaxValue, 1L, new BigInteger(4), 1L)), "block 11 is above the final block: provisional");
        Assert.That(folded.Events, Is.EqualTo(new (string, BigInteger, DateTimeOffset?)[] { ("mint", TokenAmount.MaxValue, At), ("burn", 4, At) }));
    }

    [Test]
    public void FinalIn_NoFinalBlockInTheBatch_NothingFolded()
    {
        var folded = FoldedTotals.FinalIn([Event(SupplyEventKind.Mint, 9, 1)], finalThrough: long.MinValue);

        Assert.That(folded.Count, Is.Zero);
    }
}
