using Usd1Reconciler.Core.Governance;

namespace Usd1Reconciler.Tests.Core.Governance;

/// <summary>Builds governance changes for the governance tests: one log per change, position given or 0.</summary>
internal static class GovernanceChanges
{
    public const string Network = "eth";
    public const string MinterRole = "0x9f2df0fed2c77648de5860a4cc508cd0818c85b8b8a1ab4ceeef8d981c8956a6";
    public const string Alice = "0x00000000000000000000000000000000000a11ce";
    public const string Bob = "0x0000000000000000000000000000000000000b0b";
    public const string Mallory = "0x000000000000000000000000000000000000ba11";

    public static GovernanceChange Change(GovernanceChangeKind kind, string subject, string? oldValue, string? newValue, long block, int position = 0, string? actor = null) =>
        new(Network, kind, subject, oldValue, newValue, actor, block, "0xhash" + block, $"0xtx{block}-{position}", position, -1, null);

    public static GovernanceChange Grant(string role, string account, long block, int position = 0) =>
        Change(GovernanceChangeKind.RoleGranted, role, null, account, block, position, actor: Alice);

    public static GovernanceChange Revoke(string role, string account, long block, int position = 0) =>
        Change(GovernanceChangeKind.RoleRevoked, role, account, null, block, position, actor: Alice);
}
