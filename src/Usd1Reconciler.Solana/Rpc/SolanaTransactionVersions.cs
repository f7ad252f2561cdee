using System.Globalization;
using System.Text.Json;

namespace Usd1Reconciler.Solana.Rpc;

/// <summary>
/// The transaction versions the jsonParsed decoder understands: <c>"legacy"</c>, <c>0</c> (address lookup tables,
/// loaded keys shown in accountKeys with source "lookupTable") and <c>1</c> (SIMD-0385: static keys only, compute
/// budget in the message config). Every one renders supply changes as the same parsed token instructions and
/// <c>meta.innerInstructions</c>, which is all the decoder reads.
/// <para>
/// A node asked with <c>maxSupportedTransactionVersion</c> = <see cref="Highest"/> answers -32015 for a newer version
/// (agave's validate_version); either that error or a reply naming an unknown version becomes
/// <see cref="UnsupportedTransactionVersionException"/> naming the signature, so the pass fails visibly at it instead
/// of a version bump stalling indexing without a word.
/// </para>
/// </summary>
public static class SolanaTransactionVersions
{
    /// <summary>The newest version decoded; sent as maxSupportedTransactionVersion with every getTransaction.</summary>
    public const int Highest = 1;

    /// <summary>agave's JSON_RPC_SERVER_ERROR_UNSUPPORTED_TRANSACTION_VERSION.</summary>
    public const long UnsupportedVersionErrorCode = -32015;

    /// <summary>How the supported set reads in messages.</summary>
    public const string Supported = "legacy, 0 and 1";

    /// <summary>
    /// Returns the reply's version as text ("legacy", "0", "1"), or null when the reply has no <c>version</c> (a node
    /// asked without maxSupportedTransactionVersion sends none, and then only a legacy transaction is encoded).
    /// Throws <see cref="UnsupportedTransactionVersionException"/> for any other value.
    /// </summary>
    public static string? Read(JsonElement reply, string signature)
    {
        if (reply.ValueKind != JsonValueKind.Object || !reply.TryGetProperty("version", out var version) || version.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (version.ValueKind == JsonValueKind.String && version.GetString() == "legacy")
        {
            return "legacy";
        }

        if (version.ValueKind == JsonValueKind.Number && version.TryGetInt32(out var number) && number is >= 0 and <= Highest)
        {
            return number.ToString(CultureInfo.InvariantCulture);
        }

        var shown = version.ValueKind == JsonValueKind.String ? version.GetString()! : version.GetRawText();
        throw new UnsupportedTransactionVersionException(signature, shown.Length <= 20 ? shown : string.Concat(shown.AsSpan(0, 20), "…"));
    }

    /// <summary>
    /// The version a -32015 error names ("Transaction version (2) is not supported by the requesting client…"), or
    /// "unknown" when the text does not follow agave's wording.
    /// </summary>
    public static string VersionNamedIn(string rpcMessage)
    {
        ArgumentNullException.ThrowIfNull(rpcMessage);
        const string prefix = "Transaction version (";
        var start = rpcMessage.IndexOf(prefix, StringComparison.Ordinal);
        if (start < 0)
        {
            return "unknown";
        }

        start += prefix.Length;
        var end = rpcMessage.IndexOf(')', start);
        var named = end > start ? rpcMessage[start..end] : string.Empty;
        return named.Length is > 0 and <= 3 && named.All(char.IsAsciiDigit) ? named : "unknown";
    }
}
