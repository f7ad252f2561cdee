using System.Numerics;
using Usd1Reconciler.Core.Governance;
using static Usd1Reconciler.Tests.Core.Governance.GovernanceChanges;

namespace Usd1Reconciler.Tests.Core.Governance;

public sealed class GovernanceFoldTests
{
    [Test]
    public void Fold_ChangesGivenOutOfOrder_AppliedInChainOrder()
    {
        // Grant then revoke in chain order; handed over reversed, a fold that trusted input order would keep Bob.
        var changes = new[] { Revoke(MinterRole, Bob, 10, position: 3), Grant(MinterRole, Bob, 10, position: 1) };

        var result = GovernanceFold.Fold(Network, changes);

        Assert.That(result.State.HoldsRole(MinterRole, Bob), Is.False, "the revoke at log 3 comes after the grant at log 1");
        Assert.That(result.Applied.Select(c => c.Position), Is.EqualTo(new[] { 1, 3 }));
        Assert.That(result.State.Roles.ContainsKey(MinterRole), Is.False, "a role nobody holds is not listed");
    }

    [Test]
    public void Fold_OwnershipTransferStartedThenTransferred_PendingClearedOwnerSetOldFilled()
    {
        var changes = new[]
        {
            Change(GovernanceChangeKind.OwnershipTransferred, "owner", "0x0000000000000000000000000000000000000000", Alice, 1),
            Change(GovernanceChangeKind.OwnershipTransferStarted, "pendingOwner", null, Bob, 2),
            Change(GovernanceChangeKind.OwnershipTransferred, "owner", null, Bob, 3),
        };

        var result = GovernanceFold.Fold(Network, changes);

        Assert.That((result.State.Owner, result.State.PendingOwner), Is.EqualTo((Bob, (string?)null)));
        Assert.That(result.Applied[1].OldValue, Is.Null, "no transfer was pending before block 2");
        Assert.That(result.Applied[2].OldValue, Is.EqualTo(Alice), "an event that does not name the old owner gets it from the state");
        Assert.That(result.State.Provenance[GovernanceStateKeys.Owner].BlockNumber, Is.EqualTo(3));
    }

    [Test]
    public void Fold_MinterConfiguredTwiceThenRemoved_AllowanceTrackedAndRemoved()
    {
        var configured = GovernanceFold.Fold(Network, [
            Change(GovernanceChangeKind.MinterConfigured, Bob, null, "100", 1),
            Change(GovernanceChangeKind.MinterConfigured, Bob, null, "250", 2),
        ]);
        Assert.That(configured.State.Minters[Bob], Is.EqualTo(new BigInteger(250)));
        Assert.That(configured.Applied[1].OldValue, Is.EqualTo("100"));

        var removed = GovernanceFold.Fold(Network, [.. configured.Applied, Change(GovernanceChangeKind.MinterRemoved, Bob, null, null, 3)]);
        Assert.That(removed.State.Minters, Is.Empty);
        Assert.That(removed.Applied[2].OldValue, Is.EqualTo("250"));
    }

    [Test]
    public void Fold_PauseDenylistUpgradeAndAuthority_EachFactFolded()
    {
        var result = GovernanceFold.Fold(Network, [
            Change(GovernanceChangeKind.Paused, "paused", null, null, 1, actor: Alice),
            Change(GovernanceChangeKind.Denylisted, Mallory, null, null, 2),
            Change(GovernanceChangeKind.Denylisted, Bob, null, null, 3),
            Change(GovernanceChangeKind.Undenylisted, Bob, null, null, 4),
            Change(GovernanceChangeKind.Upgraded, "implementation", null, "0x1111111111111111111111111111111111111111", 5),
            Change(GovernanceChangeKind.AdminChanged, "proxyAdmin", Alice, Bob, 6),
            Change(GovernanceChangeKind.AuthorityChanged, GovernanceAuthorities.Pauser, null, Bob, 7),
            Change(GovernanceChangeKind.AuthorityChanged, GovernanceAuthorities.FreezeAccount, Bob, null, 8),
        ]);
        var s = result.State;

        Assert.That(s.Paused, Is.True);
        Assert.That(s.Denylisted, Is.EquivalentTo(new[] { Mallory }));
        Assert.That(s.Implementation, Is.EqualTo("0x1111111111111111111111111111111111111111"));
        Assert.That(s.ProxyAdmin, Is.EqualTo(Bob));
        Assert.That(s.Authorities[GovernanceAuthorities.Pauser], Is.EqualTo(Bob));
        Assert.That(s.Authorities[GovernanceAuthorities.FreezeAccount], Is.Null, "an authority set to none is kept as none, not forgotten");
        Assert.That(result.Applied[0].NewValue, Is.EqualTo("true"));
    }

    [Test]
    public void Fold_ReorgRemovedTheGrant_RefoldWithoutItHasNoHolder()
    {
        var stored = new[] { Grant(MinterRole, Alice, 1), Grant(MinterRole, Mallory, 9) };
        var before = GovernanceFold.Fold(Network, stored).State;
        // A rollback above block 8 deletes the second grant; the state is the fold of what is left.
        var after = GovernanceFold.Fold(Network, stored.Where(c => c.BlockNumber <= 8)).State;

        Assert.That(before.HoldsRole(MinterRole, Mallory), Is.True);
        Assert.That(after.HoldsRole(MinterRole, Mallory), Is.False);
        Assert.That(after.ComputeHash(), Is.EqualTo(GovernanceFold.Fold(Network, [Grant(MinterRole, Alice, 1)]).State.ComputeHash()));
        Assert.That(after.ComputeHash(), Is.Not.EqualTo(before.ComputeHash()));
    }

    [Test]
    public void FoldThrough_ChangesAboveTheBlock_Ignored()
    {
        var state = GovernanceFold.FoldThrough(Network, [Grant(MinterRole, Alice, 1), Grant(MinterRole, Bob, 5)], 4);

        Assert.That(state.HoldsRole(MinterRole, Bob), Is.False);
        Assert.That(state.ThroughBlock, Is.EqualTo(1));
    }

    [Test]
    public void ComputeHash_SameStateFromDifferentHistories_Equal()
    {
        var direct = GovernanceFold.Fold(Network, [Grant(MinterRole, Alice, 1)]).State;
        var roundabout = GovernanceFold.Fold(Network, [Grant(MinterRole, Alice, 1), Grant(MinterRole, Bob, 2), Revoke(MinterRole, Bob, 3)]).State;

        Assert.That(roundabout.ComputeHash(), Is.EqualTo(direct.ComputeHash()), "the hash is of the state, not of how it was reached");
        Assert.That(direct.ComputeHash(), Has.Length.EqualTo(64));
    }

    [Test]
    public void Fold_DeclaredEventsSameSubject_LastValueWinsOldValueFilled()
    {
        var subject = "FeeChanged:" + Alice;
        var result = GovernanceFold.Fold(Network,
        [
            Change(GovernanceChangeKind.Declared, subject, null, "{\"fee\":\"9\"}", 2),
            Change(GovernanceChangeKind.Declared, subject, null, "{\"fee\":\"5\"}", 1),
            Change(GovernanceChangeKind.Declared, "FeeChanged:" + Bob, null, "{\"fee\":\"1\"}", 3),
        ]);

        Assert.That(result.State.Declared, Is.EqualTo(new Dictionary<string, string>
        {
            [subject] = "{\"fee\":\"9\"}",
            ["FeeChanged:" + Bob] = "{\"fee\":\"1\"}",
        }), "one entry per event name and indexed subject, the newest in chain order wins");
        Assert.That(result.Applied[1].OldValue, Is.EqualTo("{\"fee\":\"5\"}"), "the log shows what the event replaced");
        Assert.That(result.State.Provenance[GovernanceStateKeys.Declared(subject)].BlockNumber, Is.EqualTo(2));
    }

    [Test]
    public void ComputeHash_DeclaredEntry_ChangesTheHashAndEmptyStateHashUnchanged()
    {
        var empty = GovernanceFold.Fold(Network, []).State;
        var declared = GovernanceFold.Fold(Network, [Change(GovernanceChangeKind.Declared, "FeeChanged", null, "{\"fee\":\"5\"}", 1)]).State;

        Assert.That(declared.ComputeHash(), Is.Not.EqualTo(empty.ComputeHash()), "a declared event is part of the state a report records");
        Assert.That(declared.CanonicalText(), Does.EndWith("declared:FeeChanged={\"fee\":\"5\"}\n"));
        Assert.That(empty.CanonicalText(), Does.Not.Contain("declared"), "a state without declared entries keeps the text (and hash) it had before they were folded");
    }

    [Test]
    public void Fold_ReorgRemovedTheDeclaredEvent_RefoldHasThePreviousValue()
    {
        var first = Change(GovernanceChangeKind.Declared, "FeeChanged", null, "{\"fee\":\"5\"}", 1);
        var second = Change(GovernanceChangeKind.Declared, "FeeChanged", null, "{\"fee\":\"50\"}", 4);

        var before = GovernanceFold.Fold(Network, [first, second]).State;
        var after = GovernanceFold.Fold(Network, [first]).State;

        Assert.That(before.Declared["FeeChanged"], Is.EqualTo("{\"fee\":\"50\"}"));
        Assert.That(after.Declared["FeeChanged"], Is.EqualTo("{\"fee\":\"5\"}"), "a reorg is a refold without the removed change");
    }
}
