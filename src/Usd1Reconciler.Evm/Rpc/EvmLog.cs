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
    bool Removed);
