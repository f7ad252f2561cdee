using System.Globalization;
using System.Text.Json;
using Usd1Reconciler.Core.Reserves;

namespace Usd1Reconciler.Reserves.Parsing;

/// <summary>
/// A proof-of-reserve style document: <c>{"totalReserve":"…","timestamp":…,"ripcord":false}</c>. timestamp is unix
/// seconds or ISO-8601 with an offset. The figure becomes one account of class "other" with unknown liquidity (so it
/// never counts towards the liquidity rule), held at the configured custodian.
/// </summary>
public static class ProofOfReserveParser
{
    public static ParsedSnapshot Parse(byte[] body, string custodian)
    {
        ArgumentNullException.ThrowIfNull(body);
        using (var document = FieldReader.ParseObject(body, maxDepth: 8))
        {
            var root = document.RootElement;

            var total = FieldReader.Amount(root, "totalReserve", "proof of reserve");
            if (!root.TryGetProperty("timestamp", out var stamp) || stamp.ValueKind == JsonValueKind.Null)
            {
                throw new SnapshotFormatException("proof of reserve: the timestamp is missing");
            }

            var asOf = stamp.ValueKind switch
            {
                JsonValueKind.Number when stamp.TryGetInt64(out var seconds) && seconds > 0 => DateTimeOffset.FromUnixTimeSeconds(seconds),
                JsonValueKind.String => FieldReader.ParseTime(stamp.GetString(), "proof of reserve 'timestamp'"),
                _ => throw new SnapshotFormatException($"proof of reserve: timestamp {stamp.GetRawText()} is neither unix seconds nor an ISO-8601 string"),
            };
            if (!root.TryGetProperty("ripcord", out var ripcord) || ripcord.ValueKind is not (JsonValueKind.True or JsonValueKind.False))
            {
                throw new SnapshotFormatException("proof of reserve: 'ripcord' is missing or not a boolean");
            }

            var account = new ReserveAccount("totalReserve", AssetClass.Other, "USD", total, custodian, null);
            var reference = root.TryGetProperty("attestation", out var a) && a.ValueKind == JsonValueKind.String ? a.GetString() : null;
            return new ParsedSnapshot(custodian, asOf, [account], reference ?? $"proof-of-reserve at {asOf.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture)}", ripcord.ValueKind == JsonValueKind.True);
        }
    }
}
