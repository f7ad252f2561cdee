namespace Usd1Reconciler.Solana.Decoding;

/// <summary>
/// A getTransaction reply does not have the jsonParsed shape the decoder relies on (no meta, an amount that is not a
/// u64 decimal string, an instruction tree without indexes). Guessing would put a wrong figure in the ledger.
/// </summary>
public sealed class SplTransactionFormatException(string signature, string message)
    : Exception($"transaction {signature}: {message}")
{
    public string Signature { get; } = signature;
}
