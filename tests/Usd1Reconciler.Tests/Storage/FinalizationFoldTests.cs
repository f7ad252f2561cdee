using System.Numerics;
using Usd1Reconciler.Core.Amounts;
using Usd1Reconciler.Core.Supply;
using Usd1Reconciler.Storage;

namespace Usd1Reconciler.Tests.Storage;

public sealed class FinalizationFoldTests
{
    private static readonly DateTimeOffset At = new(2026, 11, 25, 9, 15, 0, TimeSpan.Zero);
    private static readonly SupplyTotals Stored = new(FinalBlock: 20, Minted: TokenAmount.MaxValue, Burned: 3, Mints: 2, Burns: 1);

    [Test]
    public void Target_FinalityNotMovingAndNothingFinalInTheBatch_NullSoNothingIsWritten()
    {
        Assert.That(FinalizationFold.Target(Stored, 20, new FoldedTotals()), Is.Null, "the same final block again");
        Assert.That(FinalizationFold.Target(Stored, 7, new FoldedTotals()), Is.Null, "an older final block");
        Assert.That(FinalizationFold.Target(Stored, 21, new FoldedTotals()), Is.EqualTo(21));
    }

    [Test]
    public void Target_OlderBlockWithFinalEventsOfTheBatch_KeepsTheStoredFinalBlock()
    {
        var batch = new FoldedTotals();
        batch.Add(SupplyEventKind.Mint, 5, null);

        Assert.That(FinalizationFold.Target(Stored, 7, batch), Is.EqualTo(20), "finality never moves back, but the batch's events are still folded");
    }

    [Test]
    public void Fold_BatchAndNewlyFinalEvents_EachCountedOnceSumsExactBeyond2Pow256()
    {
        var batch = new FoldedTotals();
        batch.Add(SupplyEventKind.Mint, 10, At);
        batch.Add(SupplyEventKind.Burn, 4, null);

        var (totals, becomingFinal) = FinalizationFold.Fold(Stored, 30, batch, [("mint", TokenAmount.MaxValue, At.AddHours(1)), ("burn", 6, At)]);

        Assert.That(totals, Is.EqualTo(new SupplyTotals(30, (TokenAmount.MaxValue * 2) + 10, 13, 4, 3)), "BigInteger sums: no overflow, no rounding");
        Assert.That(becomingFinal, Is.EqualTo(new (string, BigInteger, DateTimeOffset?)[]
        {
            ("mint", 10, At), ("burn", 4, null), ("mint", TokenAmount.MaxValue, At.AddHours(1)), ("burn", 6, At),
        }), "the batch's own events first, then those that turned final, for the hourly aggregates");
    }

    [Test]
    public void Fold_NothingNewlyFinal_TotalsUnchangedButTheTarget()
    {
        var (totals, becomingFinal) = FinalizationFold.Fold(Stored, 25, new FoldedTotals(), []);

        Assert.That(totals, Is.EqualTo(Stored with { FinalBlock = 25 }));
        Assert.That(becomingFinal, Is.Empty);
    }

    [Test]
    public void Fold_StoredKindNeitherMintNorBurn_StoreSchemaExceptionNamingTheKind()
    {
        var error = Assert.Throws<StoreSchemaException>(() => FinalizationFold.Fold(Stored, 25, new FoldedTotals(), [("transfer", 1, null)]));

        Assert.That(error!.Message, Does.Contain("'transfer'"));
    }
}
