namespace Usd1Reconciler.Evm.Indexing;

/// <summary>
/// What the governance proof asks the chain about beyond what the events named: the policy's roles and accounts
/// (hasRole for every pair) and minters (isMinter / minterAllowance), so that an address granted power without an
/// event is still caught when the policy knows it. Lower-case 0x hex.
/// </summary>
public sealed record EvmGovernanceWatch(IReadOnlyList<string> Roles, IReadOnlyList<string> Accounts, IReadOnlyList<string> Minters);
