namespace Usd1Reconciler.Core.Governance;

/// <summary>
/// One way the folded state is outside the policy, with the change that put it there (block, tx, actor, old → new).
/// <see cref="Key"/> identifies the finding across screens: the same item stays one open page until it is gone.
/// </summary>
/// <param name="Kind">role, minter, allowance, owner, pendingOwner, paused, implementation, proxyAdmin, authority, denylist, declared.</param>
/// <param name="Subject">What is out of policy: role:account, the minter, the authority key, …</param>
/// <param name="Expected">What the policy allows, in words.</param>
/// <param name="Actual">What the state holds.</param>
public sealed record GovernanceDriftItem(
    string Kind,
    string Subject,
    string Expected,
    string Actual,
    long? BlockNumber,
    string? TransactionId,
    string? Actor,
    string? OldValue,
    string? NewValue)
{
    public string Key => $"{Kind}|{Subject}|{Actual}|{TransactionId}";
}
