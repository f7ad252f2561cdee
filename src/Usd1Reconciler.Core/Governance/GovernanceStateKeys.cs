namespace Usd1Reconciler.Core.Governance;

/// <summary>The keys under which <see cref="GovernanceState.Provenance"/> remembers which change set a fact.</summary>
public static class GovernanceStateKeys
{
    public const string Owner = "owner";
    public const string PendingOwner = "pendingOwner";
    public const string Paused = "paused";
    public const string Implementation = "implementation";
    public const string ProxyAdmin = "proxyAdmin";
    public const string Beacon = "beacon";
    public const string DenylistCount = "denylist";

    public static string Role(string role, string account) => $"role:{role}:{account}";

    public static string RoleAdmin(string role) => $"roleAdmin:{role}";

    public static string Minter(string minter) => $"minter:{minter}";

    public static string Authority(string key) => $"authority:{key}";

    public static string Denylisted(string account) => $"denylisted:{account}";

    public static string Frozen(string account) => $"frozen:{account}";

    public static string Declared(string entry) => $"declared:{entry}";
}
