using Usd1Reconciler.Core.Amounts;
using Usd1Reconciler.Core.Reserves;

namespace Usd1Reconciler.Tests.Core.Reserves;

[TestFixture]
public sealed class ReserveSnapshotValidatorTests
{
    private static readonly DateTimeOffset Now = new(2025, 6, 30, 12, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Skew = TimeSpan.FromMinutes(2);

    private static ReserveSnapshot Snapshot(DateTimeOffset asOf, string sha = "aa", params ReserveAccount[] accounts) =>
        new(0, "f", "Trust", asOf, accounts.Length == 0 ? [Account("a", "10")] : accounts, null, sha, null, Now);

    private static ReserveAccount Account(string id, string amount, string currency = "USD") => new(id, AssetClass.Cash, currency, UsdAmount.Parse(amount), "Bank", 0);

    [Test]
    public void Validate_NegativeAmount_Rejected() =>
        Assert.That(ReserveSnapshotValidator.Validate(Snapshot(Now, "x", Account("a", "-1")), null, Now, Skew).Reason, Does.Contain("negative amount"));

    [Test]
    public void Validate_NonUsd_Rejected() =>
        Assert.That(ReserveSnapshotValidator.Validate(Snapshot(Now, "x", Account("a", "1", "EUR")), null, Now, Skew).Reason, Does.Contain("'EUR', not USD"));

    [Test]
    public void Validate_DuplicateAccount_Rejected() =>
        Assert.That(ReserveSnapshotValidator.Validate(Snapshot(Now, "x", Account("a", "1"), Account("a", "2")), null, Now, Skew).Reason, Does.Contain("more than once"));

    [Test]
    public void Validate_FutureBeyondSkew_RejectedWithinSkewAccepted()
    {
        Assert.Multiple(() =>
        {
            Assert.That(ReserveSnapshotValidator.Validate(Snapshot(Now + Skew + TimeSpan.FromSeconds(1)), null, Now, Skew).Reason, Does.Contain("in the future"));
            Assert.That(ReserveSnapshotValidator.Validate(Snapshot(Now + Skew), null, Now, Skew).Decision, Is.EqualTo(ReserveValidationDecision.Accept), "skew is inclusive");
        });
    }

    [Test]
    public void Validate_OlderThanInForce_RejectedAsReplay()
    {
        var inForce = Snapshot(Now) with { Id = 3 };

        var outcome = ReserveSnapshotValidator.Validate(Snapshot(Now - TimeSpan.FromHours(1), "older"), inForce, Now, Skew);

        Assert.That(outcome.Reason, Does.StartWith("replay:").And.Contain("snapshot 3"));
    }

    [Test]
    public void Validate_SameDocumentAgain_Unchanged_SameTimeOtherContent_Rejected()
    {
        var inForce = Snapshot(Now, "same") with { Id = 3 };

        Assert.Multiple(() =>
        {
            Assert.That(ReserveSnapshotValidator.Validate(Snapshot(Now, "same"), inForce, Now, Skew).Decision, Is.EqualTo(ReserveValidationDecision.Unchanged), "re-polling before the next publication is normal");
            Assert.That(ReserveSnapshotValidator.Validate(Snapshot(Now, "other"), inForce, Now, Skew).Reason, Does.Contain("content differs"));
        });
    }
}
