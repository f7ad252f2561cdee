using System.Text.Json;
using Usd1Reconciler.Core.Reserves;

namespace Usd1Reconciler.Reserves.Parsing;

/// <summary>
/// The custodian snapshot format:
/// <code>
/// {"custodian":"…","asOf":"2025-06-30T00:00:00Z","attestation":"…",
///  "accounts":[{"id":"…","assetClass":"cash|tbills|reverse_repo|mmf|other","currency":"USD","amount":"1250000.25",
///               "bank":"…","daysToLiquidity":0}]}
/// </code>
/// Amounts may be strings or JSON numbers; both are read exactly from their text.
/// </summary>
public static class CustodianJsonParser
{
    public static ParsedSnapshot Parse(byte[] body)
    {
        ArgumentNullException.ThrowIfNull(body);
        using (var document = FieldReader.ParseObject(body, maxDepth: 16))
        {
            var root = document.RootElement;

            var custodian = FieldReader.RequireString(root, "custodian", "snapshot");
            var asOf = FieldReader.ParseTime(FieldReader.OptionalString(root, "asOf", "snapshot"), "snapshot 'asOf'");
            var attestation = FieldReader.OptionalString(root, "attestation", "snapshot");
            if (!root.TryGetProperty("accounts", out var accountsElement) || accountsElement.ValueKind != JsonValueKind.Array)
            {
                throw new SnapshotFormatException("snapshot: 'accounts' is missing or not an array");
            }

            var accounts = new List<ReserveAccount>();
            var index = 0;
            foreach (var item in accountsElement.EnumerateArray())
            {
                var where = $"accounts[{index++}]";
                if (item.ValueKind != JsonValueKind.Object)
                {
                    throw new SnapshotFormatException($"{where}: not an object");
                }

                int? days = null;
                if (item.TryGetProperty("daysToLiquidity", out var daysElement) && daysElement.ValueKind != JsonValueKind.Null)
                {
                    days = daysElement.ValueKind == JsonValueKind.Number && daysElement.TryGetInt32(out var d)
                        ? d
                        : throw new SnapshotFormatException($"{where}: 'daysToLiquidity' is not an integer");
                }

                accounts.Add(new ReserveAccount(
                    FieldReader.RequireString(item, "id", where),
                    FieldReader.ParseAssetClass(FieldReader.RequireString(item, "assetClass", where), where),
                    FieldReader.RequireString(item, "currency", where).ToUpperInvariant(),
                    FieldReader.Amount(item, "amount", where),
                    FieldReader.RequireString(item, "bank", where),
                    days));
            }

            return new ParsedSnapshot(custodian, asOf, accounts, attestation, Ripcord: false);
        }
    }
}
