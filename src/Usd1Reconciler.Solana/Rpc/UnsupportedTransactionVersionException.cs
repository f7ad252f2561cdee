namespace Usd1Reconciler.Solana.Rpc;

/// <summary>
/// A transaction of the mint is in a version the decoder does not know (a cluster rolled out a new format). Skipping
/// it could skip a mint, so indexing stops before it; the message names the signature and the version so that the
/// failed pass (recorded as the network's failing reason, which turns it stale and pages) says what to upgrade.
/// </summary>
public sealed class UnsupportedTransactionVersionException(string signature, string version, Exception? inner = null)
    : Exception(
        $"transaction {signature} is version {version}, which this usd1rec cannot decode (it decodes {SolanaTransactionVersions.Supported}); " +
        "indexing of this network stops before it until usd1rec is upgraded to a release that decodes that version",
        inner)
{
    public string Signature { get; } = signature;

    public string Version { get; } = version;
}
