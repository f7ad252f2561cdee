using System.Text.RegularExpressions;

namespace Usd1Reconciler.Solana.Rpc;

/// <summary>
/// A transaction of the mint is in a version the decoder does not know (a cluster rolled out a new format). Skipping
/// it could skip a mint, so indexing stops before it; the message names the signature and the version so that the
/// failed pass (recorded as the network's failing reason, which turns it stale) says what to upgrade. The daemon reads
/// that stored reason back (<see cref="TryRead"/>) into usd1_network_unsupported_transaction_info, which pages
/// (Usd1TransactionVersionUnsupported): a stall on one signature is an operator's job, not a ticket.
/// </summary>
public sealed partial class UnsupportedTransactionVersionException(string signature, string version, Exception? inner = null)
    : Exception(
        $"transaction {signature} is version {version}, which this usd1rec cannot decode (it decodes {SolanaTransactionVersions.Supported}); " +
        "indexing of this network stops before it until usd1rec is upgraded to a release that decodes that version",
        inner)
{
    public string Signature { get; } = signature;

    public string Version { get; } = version;

    /// <summary>
    /// Reads the signature and version back from a stored failing reason written from this exception's message (the
    /// store keeps the text only; this class owns the wording, so it alone parses it). False for any other reason.
    /// </summary>
    public static bool TryRead(string? reason, out string signature, out string version)
    {
        var match = reason is null ? Match.Empty : MessagePattern().Match(reason);
        signature = match.Success ? match.Groups["signature"].Value : string.Empty;
        version = match.Success ? match.Groups["version"].Value : string.Empty;
        return match.Success;
    }

    [GeneratedRegex(@"transaction (?<signature>[1-9A-HJ-NP-Za-km-z]{32,88}) is version (?<version>\S+), which this usd1rec cannot decode", RegexOptions.CultureInvariant)]
    private static partial Regex MessagePattern();
}
