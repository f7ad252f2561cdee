using System.Numerics;
using Usd1Reconciler.Core.Governance;
using static Usd1Reconciler.Tests.Core.Governance.GovernanceChanges;

namespace Usd1Reconciler.Tests.Core.Governance;

public sealed class GovernanceDriftCheckTests
{
    private static GovernanceState Fold(params GovernanceChange[] changes) => GovernanceFold.Fold(Network, changes).State;

    private static readonly GovernancePolicy MintersOnlyAlice = new()
    {
        RoleHolders = new Dictionary<string, IReadOnlySet<string>> { [MinterRole] = new HashSet<string> { Alice } },
        RoleNames = new Dictionary<string, string> { [MinterRole] = "MINTER_ROLE" },
    };

    [Test]
    public void Check_RoleGrantedOutsidePolicy_DriftNamesRoleHolderBlockAndTx()
    {
        var state = Fold(Grant(MinterRole, Alice, 1), Grant(MinterRole, Mallory, 7, position: 2));

        var drift = GovernanceDriftCheck.Check(state, MintersOnlyAlice);

        Assert.That(drift, Has.Count.EqualTo(1));
        var item = drift[0];
        Assert.That((item.Kind, item.Subject, item.Expected, item.Actual), Is.EqualTo(("role", "MINTER_ROLE:" + Mallory, Alice, Mallory)));
        Assert.That((item.BlockNumber, item.TransactionId, item.Actor), Is.EqualTo(((long?)7, "0xtx7-2", Alice)));
    }

    [Test]
    public void Check_OutsideHolderRevoked_NoDrift()
    {
        var state = Fold(Grant(MinterRole, Alice, 1), Grant(MinterRole, Mallory, 7), Revoke(MinterRole, Mallory, 8));

        Assert.That(GovernanceDriftCheck.Check(state, MintersOnlyAlice), Is.Empty);
    }

    [Test]
    public void Check_RoleNotInPolicy_NotChecked()
    {
        var state = Fold(Grant("0x" + new string('1', 64), Mallory, 1));

        Assert.That(GovernanceDriftCheck.Check(state, MintersOnlyAlice), Is.Empty, "only roles the policy names are constrained");
    }

    [Test]
    public void Check_AllowanceAboveMaximumAndUnknownMinter_TwoItems()
    {
        var policy = new GovernancePolicy { MinterAllowances = new Dictionary<string, BigInteger> { [Alice] = 1000 } };
        var state = Fold(
            Change(GovernanceChangeKind.MinterConfigured, Alice, null, "1001", 1),
            Change(GovernanceChangeKind.MinterConfigured, Bob, null, "5", 2));

        var drift = GovernanceDriftCheck.Check(state, policy);

        Assert.That(drift.Select(d => (d.Kind, d.Subject, d.Actual)), Is.EqualTo(new[]
        {
            ("minter", Bob, "minter with allowance 5"),
            ("allowance", Alice, "1001"),
        }), "minters in address order");
        Assert.That(drift[1].OldValue, Is.Null);
        Assert.That(drift[1].NewValue, Is.EqualTo("1001"));
    }

    [Test]
    public void Check_AllowanceAtMaximum_NoDrift()
    {
        var policy = new GovernancePolicy { MinterAllowances = new Dictionary<string, BigInteger> { [Alice] = 1000 } };

        Assert.That(GovernanceDriftCheck.Check(Fold(Change(GovernanceChangeKind.MinterConfigured, Alice, null, "1000", 1)), policy), Is.Empty);
    }

    [Test]
    public void Check_UpgradeToUnexpectedImplementation_Drift_ExpectedOneNot()
    {
        const string expected = "0x1111111111111111111111111111111111111111";
        const string rogue = "0x2222222222222222222222222222222222222222";
        var policy = new GovernancePolicy { Implementations = new HashSet<string> { expected } };

        Assert.That(GovernanceDriftCheck.Check(Fold(Change(GovernanceChangeKind.Upgraded, "implementation", null, expected, 1)), policy), Is.Empty);
        var drift = GovernanceDriftCheck.Check(Fold(
            Change(GovernanceChangeKind.Upgraded, "implementation", null, expected, 1),
            Change(GovernanceChangeKind.Upgraded, "implementation", null, rogue, 2)), policy);
        Assert.That(drift.Single().Actual, Is.EqualTo(rogue));
        Assert.That(drift.Single().OldValue, Is.EqualTo(expected), "old → new for the page");
    }

    [Test]
    public void Check_OwnerChangedAndPendingToStranger_BothDrift()
    {
        var policy = new GovernancePolicy { Owner = Alice };
        var transferred = Fold(Change(GovernanceChangeKind.OwnershipTransferred, "owner", null, Bob, 1));
        var pending = Fold(
            Change(GovernanceChangeKind.OwnershipTransferred, "owner", null, Alice, 1),
            Change(GovernanceChangeKind.OwnershipTransferStarted, "pendingOwner", null, Mallory, 2));

        Assert.That(GovernanceDriftCheck.Check(transferred, policy).Single().Kind, Is.EqualTo("owner"));
        Assert.That(GovernanceDriftCheck.Check(pending, policy).Single().Kind, Is.EqualTo("pendingOwner"));
    }

    [Test]
    public void Check_PausedWhenPolicySaysUnpaused_DriftAndUnpauseClears()
    {
        var policy = new GovernancePolicy { Paused = false };
        var paused = Fold(Change(GovernanceChangeKind.Paused, "paused", null, null, 1));
        var unpaused = Fold(Change(GovernanceChangeKind.Paused, "paused", null, null, 1), Change(GovernanceChangeKind.Unpaused, "paused", null, null, 2));

        Assert.That(GovernanceDriftCheck.Check(paused, policy).Single().Actual, Is.EqualTo("true"));
        Assert.That(GovernanceDriftCheck.Check(unpaused, policy), Is.Empty);
        Assert.That(GovernanceDriftCheck.Check(paused, GovernancePolicy.None), Is.Empty, "without a pause rule pausing is recorded, not drift");
    }

    [Test]
    public void Check_DenylistAboveMaximum_Drift()
    {
        var policy = new GovernancePolicy { MaxDenylisted = 1 };
        var one = Fold(Change(GovernanceChangeKind.Denylisted, Mallory, null, null, 1));
        var two = Fold(Change(GovernanceChangeKind.Denylisted, Mallory, null, null, 1), Change(GovernanceChangeKind.Denylisted, Bob, null, null, 2));

        Assert.That(GovernanceDriftCheck.Check(one, policy), Is.Empty);
        var item = GovernanceDriftCheck.Check(two, policy).Single();
        Assert.That((item.Actual, item.BlockNumber), Is.EqualTo(("2", (long?)2)));
    }

    [Test]
    public void Check_AuthorityDifferentOrNone_Drift()
    {
        var policy = new GovernancePolicy { Authorities = new Dictionary<string, string?> { [GovernanceAuthorities.MintTokens] = Alice, [GovernanceAuthorities.FreezeAccount] = null } };
        var state = Fold(
            Change(GovernanceChangeKind.AuthorityChanged, GovernanceAuthorities.MintTokens, Alice, Mallory, 1),
            Change(GovernanceChangeKind.AuthorityChanged, GovernanceAuthorities.FreezeAccount, null, Bob, 2));

        var drift = GovernanceDriftCheck.Check(state, policy);

        Assert.That(drift.Select(d => (d.Subject, d.Expected, d.Actual)), Is.EqualTo(new[]
        {
            (GovernanceAuthorities.FreezeAccount, "none", Bob),
            (GovernanceAuthorities.MintTokens, Alice, Mallory),
        }));
    }

    private static GovernancePolicy Declared(GovernanceDeclaredRule rule) =>
        new() { DeclaredRules = new Dictionary<string, GovernanceDeclaredRule> { ["FeeChanged"] = rule } };

    private static GovernanceChange FeeChanged(string setter, string fee, long block) =>
        Change(GovernanceChangeKind.Declared, "FeeChanged:" + setter, null, $$"""{"setter":"{{setter}}","fee":"{{fee}}"}""", block);

    [Test]
    public void Check_DeclaredValueOutsideAllowed_DriftNamesEntryValueAndTx()
    {
        var state = Fold(FeeChanged(Alice, "5", 1), FeeChanged(Bob, "500", 3));

        var drift = GovernanceDriftCheck.Check(state, Declared(new GovernanceDeclaredRule("fee", new HashSet<string> { "5", "10" }, null, null, false)));

        Assert.That(drift, Has.Count.EqualTo(1), "Alice's entry holds an allowed value");
        Assert.That((drift[0].Kind, drift[0].Subject, drift[0].Expected, drift[0].Actual), Is.EqualTo(("declared", "FeeChanged:" + Bob, "fee one of 10, 5", "500")));
        Assert.That((drift[0].BlockNumber, drift[0].TransactionId), Is.EqualTo(((long?)3, "0xtx3-0")));
    }

    [Test]
    public void Check_DeclaredValueBackInsideAllowed_NoDrift()
    {
        var state = Fold(FeeChanged(Bob, "500", 3), FeeChanged(Bob, "10", 4));

        Assert.That(GovernanceDriftCheck.Check(state, Declared(new GovernanceDeclaredRule("fee", new HashSet<string> { "10" }, null, null, false))), Is.Empty,
            "last value wins: the entry is back within policy");
    }

    [Test]
    public void Check_DeclaredActorOutsideAllowed_DriftNamesTheActor()
    {
        var state = Fold(FeeChanged(Alice, "5", 1), FeeChanged(Mallory, "5", 2));

        var drift = GovernanceDriftCheck.Check(state, Declared(new GovernanceDeclaredRule(null, null, "setter", new HashSet<string> { Alice }, false)));

        Assert.That(drift.Select(d => (d.Subject, d.Actual, d.Actor)), Is.EqualTo(new[] { ("FeeChanged:" + Mallory, Mallory, (string?)Mallory) }));
    }

    [Test]
    public void Check_DeclaredPrivilegedWithoutLists_EveryEntryDriftsWithoutRuleNone()
    {
        var state = Fold(FeeChanged(Alice, "5", 1));

        Assert.That(GovernanceDriftCheck.Check(state, Declared(new GovernanceDeclaredRule(null, null, null, null, true))).Select(d => d.Expected),
            Is.EqualTo(new[] { "no such event (privileged)" }));
        Assert.That(GovernanceDriftCheck.Check(state, Declared(new GovernanceDeclaredRule(null, null, null, null, false))), Is.Empty, "not privileged and no lists: recorded only");
        Assert.That(GovernanceDriftCheck.Check(state, GovernancePolicy.None), Is.Empty, "no rule: recorded only");
    }

    [Test]
    public void Check_DeclaredRuleArgumentMissing_DriftNotPassed()
    {
        var state = Fold(Change(GovernanceChangeKind.Declared, "FeeChanged", null, "{\"other\":\"1\"}", 1));

        var drift = GovernanceDriftCheck.Check(state, Declared(new GovernanceDeclaredRule("fee", new HashSet<string> { "1" }, null, null, false)));

        Assert.That(drift.Select(d => d.Actual), Is.EqualTo(new[] { "missing" }), "an entry without the argument the rule checks is not within policy");
    }
}
