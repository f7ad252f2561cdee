namespace Usd1Reconciler.Evm.Decoding;

/// <summary>
/// topic0 of the privileged-action events (issue 15), from their signatures. Asked for in the same eth_getLogs filter
/// as the supply events (topic0 is an OR list), so governance costs no second request per range.
/// </summary>
public static class GovernanceEventTopics
{
    public static readonly string RoleGranted = EventTopics.Topic("RoleGranted(bytes32,address,address)");
    public static readonly string RoleRevoked = EventTopics.Topic("RoleRevoked(bytes32,address,address)");
    public static readonly string RoleAdminChanged = EventTopics.Topic("RoleAdminChanged(bytes32,bytes32,bytes32)");
    public static readonly string OwnershipTransferred = EventTopics.Topic("OwnershipTransferred(address,address)");
    public static readonly string OwnershipTransferStarted = EventTopics.Topic("OwnershipTransferStarted(address,address)");
    public static readonly string Paused = EventTopics.Topic("Paused(address)");
    public static readonly string Unpaused = EventTopics.Topic("Unpaused(address)");
    public static readonly string Pause = EventTopics.Topic("Pause()");
    public static readonly string Unpause = EventTopics.Topic("Unpause()");
    public static readonly string MinterConfigured = EventTopics.Topic("MinterConfigured(address,uint256)");
    public static readonly string MinterRemoved = EventTopics.Topic("MinterRemoved(address)");
    public static readonly string MasterMinterChanged = EventTopics.Topic("MasterMinterChanged(address)");
    public static readonly string PauserChanged = EventTopics.Topic("PauserChanged(address)");
    public static readonly string BlacklisterChanged = EventTopics.Topic("BlacklisterChanged(address)");
    public static readonly string RescuerChanged = EventTopics.Topic("RescuerChanged(address)");
    public static readonly string Blacklisted = EventTopics.Topic("Blacklisted(address)");
    public static readonly string UnBlacklisted = EventTopics.Topic("UnBlacklisted(address)");
    public static readonly string Denylisted = EventTopics.Topic("Denylisted(address)");
    public static readonly string Undenylisted = EventTopics.Topic("Undenylisted(address)");
    public static readonly string Upgraded = EventTopics.Topic("Upgraded(address)");
    public static readonly string AdminChanged = EventTopics.Topic("AdminChanged(address,address)");
    public static readonly string BeaconUpgraded = EventTopics.Topic("BeaconUpgraded(address)");

    /// <summary>Every standard governance topic0.</summary>
    public static readonly IReadOnlyList<string> All =
    [
        RoleGranted, RoleRevoked, RoleAdminChanged, OwnershipTransferred, OwnershipTransferStarted, Paused, Unpaused, Pause, Unpause,
        MinterConfigured, MinterRemoved, MasterMinterChanged, PauserChanged, BlacklisterChanged, RescuerChanged,
        Blacklisted, UnBlacklisted, Denylisted, Undenylisted, Upgraded, AdminChanged, BeaconUpgraded,
    ];
}
