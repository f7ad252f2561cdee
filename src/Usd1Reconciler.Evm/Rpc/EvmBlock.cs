namespace Usd1Reconciler.Evm.Rpc;

/// <summary>The fields of an eth_getBlockByNumber reply the indexer uses.</summary>
public sealed record EvmBlock(long Number, string Hash, string ParentHash, DateTimeOffset Timestamp);
