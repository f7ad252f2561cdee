namespace Usd1Reconciler.Evm.Decoding;

/// <summary>A log from the token's address has a known topic0 but not the shape of that event (topic count, data size, address padding).</summary>
public sealed class EvmLogFormatException(string transactionHash, int logIndex, string message)
    : Exception($"log {logIndex} of tx {transactionHash}: {message}")
{
    public string TransactionHash { get; } = transactionHash;

    public int LogIndex { get; } = logIndex;
}
