using System.Globalization;
using System.Numerics;

namespace Usd1Reconciler.Core.Governance;

/// <summary>
/// Folds a network's privileged changes into its <see cref="GovernanceState"/>. Pure: the same changes in any input
/// order give the same state, because they are applied in chain order (block, position, sub-position). There is no
/// incremental update to get wrong after a reorg — the caller folds the stored changes again (final and unfinal), and a
/// change a rollback removed is simply not there.
/// </summary>
public static class GovernanceFold
{
    /// <summary>The state after every change, and the changes as applied: in chain order, each with the value it replaced filled in where its event does not name it.</summary>
    public static GovernanceFoldResult Fold(string network, IEnumerable<GovernanceChange> changes)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(changes);
        var state = new GovernanceState(network);
        var applied = new List<GovernanceChange>();
        var touched = new List<string>();
        foreach (var change in changes.OrderBy(c => c.BlockNumber).ThenBy(c => c.Position).ThenBy(c => c.SubPosition))
        {
            touched.Clear();
            var done = Apply(state, change, touched);
            // Provenance keeps the change as applied (old value filled in), which is what a drift item shows as old → new.
            foreach (var key in touched)
            {
                state.ProvenanceMap[key] = done;
            }

            applied.Add(done);
            state.ThroughBlock = change.BlockNumber;
            state.ChangeCount++;
        }

        return new GovernanceFoldResult(state, applied);
    }

    /// <summary>The state as of <paramref name="block"/>: only the changes at or below it (the governance proof compares this at the final block).</summary>
    public static GovernanceState FoldThrough(string network, IEnumerable<GovernanceChange> changes, long block) =>
        Fold(network, changes.Where(c => c.BlockNumber <= block)).State;

    private static GovernanceChange Apply(GovernanceState state, GovernanceChange change, List<string> touched)
    {
        var c = change;
        switch (c.Kind)
        {
            case GovernanceChangeKind.RoleGranted:
                if (c.NewValue is { } granted)
                {
                    Holders(state, c.Subject).Add(granted);
                    touched.Add(GovernanceStateKeys.Role(c.Subject, granted));
                }

                return c;
            case GovernanceChangeKind.RoleRevoked:
                if (c.OldValue is { } revoked)
                {
                    Holders(state, c.Subject).Remove(revoked);
                    if (state.RoleHolders[c.Subject].Count == 0)
                    {
                        state.RoleHolders.Remove(c.Subject);
                    }

                    touched.Add(GovernanceStateKeys.Role(c.Subject, revoked));
                }

                return c;
            case GovernanceChangeKind.RoleAdminChanged:
                var previousAdmin = state.RoleAdminMap.GetValueOrDefault(c.Subject);
                if (c.NewValue is { } admin)
                {
                    state.RoleAdminMap[c.Subject] = admin;
                }

                touched.Add(GovernanceStateKeys.RoleAdmin(c.Subject));
                return c with { OldValue = c.OldValue ?? previousAdmin };
            case GovernanceChangeKind.OwnershipTransferred:
                var previousOwner = state.Owner;
                state.Owner = c.NewValue;
                // Ownable2Step clears the pending owner on every completed transfer (acceptOwnership and renounce alike).
                state.PendingOwner = null;
                touched.Add(GovernanceStateKeys.Owner);
                touched.Add(GovernanceStateKeys.PendingOwner);
                return c with { OldValue = c.OldValue ?? previousOwner };
            case GovernanceChangeKind.OwnershipTransferStarted:
                var previousPending = state.PendingOwner;
                state.PendingOwner = c.NewValue;
                touched.Add(GovernanceStateKeys.PendingOwner);
                return c with { OldValue = previousPending };
            case GovernanceChangeKind.Paused:
            case GovernanceChangeKind.Unpaused:
                var wasPaused = state.Paused ?? false;
                state.Paused = c.Kind == GovernanceChangeKind.Paused;
                touched.Add(GovernanceStateKeys.Paused);
                return c with { OldValue = wasPaused ? "true" : "false", NewValue = state.Paused.Value ? "true" : "false" };
            case GovernanceChangeKind.MinterConfigured:
                string? previousAllowance = state.MinterMap.TryGetValue(c.Subject, out var old) ? old.ToString(CultureInfo.InvariantCulture) : null;
                state.MinterMap[c.Subject] = c.NewValue is null ? BigInteger.Zero : BigInteger.Parse(c.NewValue, NumberStyles.None, CultureInfo.InvariantCulture);
                touched.Add(GovernanceStateKeys.Minter(c.Subject));
                return c with { OldValue = c.OldValue ?? previousAllowance };
            case GovernanceChangeKind.MinterRemoved:
                string? removedAllowance = state.MinterMap.TryGetValue(c.Subject, out var had) ? had.ToString(CultureInfo.InvariantCulture) : null;
                state.MinterMap.Remove(c.Subject);
                touched.Add(GovernanceStateKeys.Minter(c.Subject));
                return c with { OldValue = c.OldValue ?? removedAllowance, NewValue = null };
            case GovernanceChangeKind.AuthorityChanged:
                var previousHolder = state.AuthorityMap.GetValueOrDefault(c.Subject);
                state.AuthorityMap[c.Subject] = c.NewValue;
                touched.Add(GovernanceStateKeys.Authority(c.Subject));
                return c with { OldValue = c.OldValue ?? previousHolder };
            case GovernanceChangeKind.Denylisted:
                state.DenylistSet.Add(c.Subject);
                touched.Add(GovernanceStateKeys.Denylisted(c.Subject));
                touched.Add(GovernanceStateKeys.DenylistCount);
                return c with { OldValue = "not denylisted", NewValue = "denylisted" };
            case GovernanceChangeKind.Undenylisted:
                state.DenylistSet.Remove(c.Subject);
                touched.Add(GovernanceStateKeys.Denylisted(c.Subject));
                touched.Add(GovernanceStateKeys.DenylistCount);
                return c with { OldValue = "denylisted", NewValue = "not denylisted" };
            case GovernanceChangeKind.Upgraded:
                var previousImplementation = state.Implementation;
                state.Implementation = c.NewValue;
                touched.Add(GovernanceStateKeys.Implementation);
                return c with { OldValue = c.OldValue ?? previousImplementation };
            case GovernanceChangeKind.AdminChanged:
                var previousProxyAdmin = state.ProxyAdmin;
                state.ProxyAdmin = c.NewValue;
                touched.Add(GovernanceStateKeys.ProxyAdmin);
                return c with { OldValue = c.OldValue ?? previousProxyAdmin };
            case GovernanceChangeKind.BeaconUpgraded:
                var previousBeacon = state.Beacon;
                state.Beacon = c.NewValue;
                touched.Add(GovernanceStateKeys.Beacon);
                return c with { OldValue = c.OldValue ?? previousBeacon };
            case GovernanceChangeKind.AccountFrozen:
                state.FrozenSet.Add(c.Subject);
                touched.Add(GovernanceStateKeys.Frozen(c.Subject));
                return c with { OldValue = "thawed", NewValue = "frozen" };
            case GovernanceChangeKind.AccountThawed:
                state.FrozenSet.Remove(c.Subject);
                touched.Add(GovernanceStateKeys.Frozen(c.Subject));
                return c with { OldValue = "frozen", NewValue = "thawed" };
            case GovernanceChangeKind.Declared:
                // A declared event's meaning is the operator's; what the daemon knows is its identity (the subject: the
                // event name and its indexed arguments) and its arguments. Last value wins per subject, so the state
                // (and its hash) says what the newest such event set, and the policy can judge it.
                var previousDeclared = state.DeclaredMap.GetValueOrDefault(c.Subject);
                if (c.NewValue is { } declared)
                {
                    state.DeclaredMap[c.Subject] = declared;
                }
                else
                {
                    state.DeclaredMap.Remove(c.Subject);
                }

                touched.Add(GovernanceStateKeys.Declared(c.Subject));
                return c with { OldValue = c.OldValue ?? previousDeclared };
            default:
                throw new ArgumentOutOfRangeException(nameof(change), c.Kind, "unknown governance change kind");
        }
    }

    private static SortedSet<string> Holders(GovernanceState state, string role)
    {
        if (!state.RoleHolders.TryGetValue(role, out var holders))
        {
            holders = new SortedSet<string>(StringComparer.Ordinal);
            state.RoleHolders[role] = holders;
        }

        return holders;
    }
}
