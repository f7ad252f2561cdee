using Usd1Reconciler.Core.Amounts;
using Usd1Reconciler.Core.Supply;

namespace Usd1Reconciler.Tests.Core.Supply;

public sealed class LedgerProofTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 25, 12, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Budget = TimeSpan.FromMinutes(10);

    private static LedgerProofReading Reading(long block, long onchain, long indexed, DateTimeOffset at) =>
        new(1, block, new TokenAmount(onchain), indexed, at);

    [Test]
    public void Evaluate_EqualAtFinalBlockWithinBudget_Ok() =>
        Assert.That(LedgerProof.Evaluate(Reading(100, 5, 5, Now - Budget), 100, Now, Budget), Is.EqualTo(LedgerProofStatus.Ok));

    [Test]
    public void Evaluate_OneBaseUnitApart_Mismatch() =>
        Assert.That(LedgerProof.Evaluate(Reading(100, 5, 4, Now), 100, Now, Budget), Is.EqualTo(LedgerProofStatus.Mismatch));

    [Test]
    public void Evaluate_OlderThanBudgetByOneSecond_Stale() =>
        Assert.That(LedgerProof.Evaluate(Reading(100, 5, 5, Now - Budget - TimeSpan.FromSeconds(1)), 100, Now, Budget), Is.EqualTo(LedgerProofStatus.Stale));

    [Test]
    public void Evaluate_ReadingAtAnEarlierBlock_StaleNotOk() =>
        Assert.That(LedgerProof.Evaluate(Reading(99, 5, 5, Now), 100, Now, Budget), Is.EqualTo(LedgerProofStatus.Stale),
            "a proof of an older ledger says nothing about events finalized since");

    [Test]
    public void Evaluate_NoReading_Stale() =>
        Assert.That(LedgerProof.Evaluate(null, 100, Now, Budget), Is.EqualTo(LedgerProofStatus.Stale));

    [Test]
    public void Evaluate_MismatchButStale_StaleWins() =>
        Assert.That(LedgerProof.Evaluate(Reading(100, 5, 4, Now - TimeSpan.FromHours(1)), 100, Now, Budget), Is.EqualTo(LedgerProofStatus.Stale));
}
