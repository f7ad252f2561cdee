namespace Usd1Reconciler.Evm.Indexing;

/// <summary>An endpoint serves another chain than the one configured: indexing it would write a foreign ledger under this network's name.</summary>
public sealed class ChainIdMismatchException(string network, string endpoint, long configured, long reported)
    : Exception($"network '{network}': configured ChainId {configured} but the node at {endpoint} reports chain id {reported}; refusing to index (fix Networks:…:ChainId or the RPC URL)")
{
    public long Configured { get; } = configured;

    public long Reported { get; } = reported;
}
