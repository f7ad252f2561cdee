using System.Numerics;
using Usd1Reconciler.Core.Governance;
using static Usd1Reconciler.Tests.Core.Governance.GovernanceChanges;

namespace Usd1Reconciler.Tests.Core.Governance;

public sealed class GovernanceProofTests
{
    private const string Implementation = "0x1111111111111111111111111111111111111111";
    private static readonly DateTimeOffset Now = new(2026, 12, 1, 12, 0, 0, TimeSpan.Zero);

    private static GovernanceState State() => GovernanceFold.Fold(Network, [
        Change(GovernanceChangeKind.OwnershipTransferred, "owner", null, Alice, 1),
        Grant(MinterRole, Alice, 2),
        Change(GovernanceChangeKind.MinterConfigured, Alice, null, "500", 3),
        Change(GovernanceChangeKind.Upgraded, "implementation", null, Implementation, 4),
    ]).State;

    private static GovernanceChainView Agreeing() => new(10)
    {
        Owner = Alice,
        OwnerRead = true,
        Paused = false,
        Implementation = Implementation,
        ImplementationRead = true,
        RoleMembership = new Dictionary<(string, string), bool> { [(MinterRole, Alice)] = true, [(MinterRole, Mallory)] = false },
        Minters = new Dictionary<string, (bool, BigInteger)> { [Alice] = (true, 500), [Mallory] = (false, 0) },
    };

    [Test]
    public void Compare_ChainAgrees_NoDifference() =>
        Assert.That(GovernanceProof.Compare(State(), Agreeing()), Is.Empty);

    [Test]
    public void Compare_ImplementationSlotChangedWithoutEvent_Difference()
    {
        var differences = GovernanceProof.Compare(State(), Agreeing() with { Implementation = "0x3333333333333333333333333333333333333333" });

        Assert.That(differences.Single(), Is.EqualTo(new GovernanceProofDifference("implementation", Implementation, "0x3333333333333333333333333333333333333333")));
    }

    [Test]
    public void Compare_SilentRoleAllowanceAndPause_EachADifference()
    {
        var chain = Agreeing() with
        {
            Paused = true,
            RoleMembership = new Dictionary<(string, string), bool> { [(MinterRole, Alice)] = true, [(MinterRole, Mallory)] = true },
            Minters = new Dictionary<string, (bool, BigInteger)> { [Alice] = (true, 501) },
        };

        var subjects = GovernanceProof.Compare(State(), chain).Select(d => d.Subject).ToList();

        Assert.That(subjects, Is.EqualTo(new[] { "paused", GovernanceStateKeys.Role(MinterRole, Mallory), GovernanceStateKeys.Minter(Alice) }));
    }

    [Test]
    public void Compare_AllowanceSpentByMints_NoDifference_RaisedSilently_Difference()
    {
        var spent = Agreeing() with { Minters = new Dictionary<string, (bool, BigInteger)> { [Alice] = (true, 120) } };
        var unknownMinter = Agreeing() with { Minters = new Dictionary<string, (bool, BigInteger)> { [Alice] = (true, 500), [Mallory] = (true, 1) } };

        Assert.That(GovernanceProof.Compare(State(), spent), Is.Empty, "mints spend allowance without a MinterConfigured event");
        Assert.That(GovernanceProof.Compare(State(), unknownMinter).Single().Subject, Is.EqualTo(GovernanceStateKeys.Minter(Mallory)));
    }

    [Test]
    public void Compare_PartsNotRead_NotCompared()
    {
        var chain = new GovernanceChainView(10) { OwnerRead = false, ImplementationRead = false };

        Assert.That(GovernanceProof.Compare(State(), chain), Is.Empty, "a token without owner() must not read as 'owner none'");
    }

    [Test]
    public void Evaluate_ReadingAtOlderFinalBlock_Stale()
    {
        var reading = new GovernanceProofReading(Network, 9, GovernanceProofStatus.Ok, [], "h", Now);

        Assert.That(GovernanceProof.Evaluate(reading, 10, Now, TimeSpan.FromMinutes(5)), Is.EqualTo(GovernanceProofStatus.Stale));
        Assert.That(GovernanceProof.Evaluate(reading, 9, Now, TimeSpan.FromMinutes(5)), Is.EqualTo(GovernanceProofStatus.Ok));
        Assert.That(GovernanceProof.Evaluate(reading with { Status = GovernanceProofStatus.Mismatch }, 9, Now + TimeSpan.FromMinutes(6), TimeSpan.FromMinutes(5)), Is.EqualTo(GovernanceProofStatus.Stale));
        Assert.That(GovernanceProof.Evaluate(null, 9, Now, TimeSpan.FromMinutes(5)), Is.EqualTo(GovernanceProofStatus.Stale));
    }

    [Test]
    public void Compare_FrozenSetDiffersFromTheChain_MismatchNamesEachAccount()
    {
        // Folded: Bob frozen, Alice frozen then thawed. Chain: Bob thawed (no thawAccount seen), Alice frozen again.
        var folded = GovernanceFold.Fold(Network, [
            Change(GovernanceChangeKind.AccountFrozen, Bob, null, null, 1),
            Change(GovernanceChangeKind.AccountFrozen, Alice, null, null, 2),
            Change(GovernanceChangeKind.AccountThawed, Alice, null, null, 3),
            Change(GovernanceChangeKind.AccountFrozen, Mallory, null, null, 4),
        ]).State;
        var chain = new GovernanceChainView(10) { Frozen = new Dictionary<string, bool> { [Bob] = false, [Alice] = true, [Mallory] = true } };

        var differences = GovernanceProof.Compare(folded, chain);

        Assert.That(differences.Select(d => (d.Subject, d.Folded, d.Chain)), Is.EqualTo(new[]
        {
            (GovernanceStateKeys.Frozen(Bob), "true", "false"),
            (GovernanceStateKeys.Frozen(Alice), "false", "true"),
        }), "Mallory agrees; each differing account is named, in ordinal order");
    }
}
