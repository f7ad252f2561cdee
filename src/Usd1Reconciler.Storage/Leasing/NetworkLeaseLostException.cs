namespace Usd1Reconciler.Storage.Leasing;

/// <summary>
/// A write for a network was refused because this instance does not hold the network's lease (any more): another
/// instance took it, or it ran out while this one could not renew it. The write transaction was rolled back whole;
/// this instance must stop writing the network until it holds the lease again (issue 14.4).
/// </summary>
public sealed class NetworkLeaseLostException(string network, string instanceId, string reason)
    : StoreException($"network {network}: instance {instanceId} does not hold the network's writer lease ({reason}); nothing was committed", null)
{
    public string Network { get; } = network;

    public string InstanceId { get; } = instanceId;
}
