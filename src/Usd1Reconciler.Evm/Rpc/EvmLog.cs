namespace Usd1Reconciler.Evm.Rpc;

/// <summary>One entry of an eth_getLogs reply, checked for shape; topics and data are lower-case 0x hex.</summary>
public sealed record EvmLog(
    string Address,
    IReadOnlyList<string> Topics,
    string Data,
    long BlockNumber,
    string BlockHash,
    string TransactionHash,
    int LogIndex,
    bool Removed)
{
    /// <summary>
    /// The block's time when the node sends it with the log (the <c>blockTimestamp</c> member geth added to log objects;
    /// others may not send it); null otherwise. Where present it spares a header read for the block's time.
    /// </summary>
    public DateTimeOffset? BlockTimestamp { get; init; }
}
