using System.Text;
using Usd1Reconciler.Core.Reserves;

namespace Usd1Reconciler.Reserves.Parsing;

/// <summary>
/// A bank-statement export as CSV (RFC 4180 quoting), one account per row, columns found by header name:
/// <c>custodian,as_of,account_id,asset_class,currency,amount,bank,days_to_liquidity</c> and optionally
/// <c>attestation</c>. Every row must name the same custodian and as-of time: a file mixing two statements is refused.
/// </summary>
public static class BankStatementCsvParser
{
    private static readonly string[] Required = ["custodian", "as_of", "account_id", "asset_class", "currency", "amount", "bank", "days_to_liquidity"];

    public static ParsedSnapshot Parse(byte[] body)
    {
        ArgumentNullException.ThrowIfNull(body);
        string text;
        try
        {
            text = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(body).TrimStart('\uFEFF');
        }
        catch (DecoderFallbackException)
        {
            throw new SnapshotFormatException("not UTF-8 text");
        }

        var rows = ReadRows(text).Where(r => !(r.Count == 1 && string.IsNullOrWhiteSpace(r[0]))).ToList();
        if (rows.Count == 0)
        {
            throw new SnapshotFormatException("the CSV is empty");
        }

        var header = rows[0].Select(h => h.Trim().ToLowerInvariant()).ToList();
        var missing = Required.Where(c => !header.Contains(c)).ToList();
        if (missing.Count > 0)
        {
            throw new SnapshotFormatException($"the CSV header lacks {string.Join(", ", missing)}");
        }

        string Cell(List<string> row, string column) => row[header.IndexOf(column)];
        string? custodian = null;
        DateTimeOffset? asOf = null;
        string? attestation = null;
        var accounts = new List<ReserveAccount>();
        for (var i = 1; i < rows.Count; i++)
        {
            var row = rows[i];
            var where = $"CSV line {i + 1}";
            if (row.Count != header.Count)
            {
                throw new SnapshotFormatException($"{where}: {row.Count} fields, the header has {header.Count}");
            }

            var rowCustodian = Cell(row, "custodian").Trim();
            var rowAsOf = FieldReader.ParseTime(Cell(row, "as_of"), $"{where}: as_of");
            if (custodian is null)
            {
                custodian = rowCustodian;
                asOf = rowAsOf;
                attestation = header.Contains("attestation") ? Cell(row, "attestation").Trim() : null;
            }
            else if (!string.Equals(custodian, rowCustodian, StringComparison.Ordinal) || asOf != rowAsOf)
            {
                throw new SnapshotFormatException($"{where}: custodian/as_of differ from the first row; one file is one statement");
            }

            accounts.Add(new ReserveAccount(
                Cell(row, "account_id").Trim(),
                FieldReader.ParseAssetClass(Cell(row, "asset_class"), where),
                Cell(row, "currency").Trim().ToUpperInvariant(),
                FieldReader.ParseAmount(Cell(row, "amount"), $"{where}: amount"),
                Cell(row, "bank").Trim(),
                FieldReader.ParseDays(Cell(row, "days_to_liquidity"), where)));
        }

        if (custodian is null || asOf is null || custodian.Length == 0)
        {
            throw new SnapshotFormatException("the CSV has no account rows, or its custodian is empty");
        }

        return new ParsedSnapshot(custodian, asOf.Value, accounts, string.IsNullOrEmpty(attestation) ? null : attestation, Ripcord: false);
    }

    private static IEnumerable<List<string>> ReadRows(string text)
    {
        var row = new List<string>();
        var field = new StringBuilder();
        var quoted = false;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < text.Length && text[i + 1] == '"')
                {
                    field.Append('"');
                    i++;
                }
                else if (c == '"')
                {
                    quoted = false;
                }
                else
                {
                    field.Append(c);
                }
            }
            else if (c == '"')
            {
                quoted = true;
            }
            else if (c == ',')
            {
                row.Add(field.ToString());
                field.Clear();
            }
            else if (c == '\n' || c == '\r')
            {
                if (c == '\r' && i + 1 < text.Length && text[i + 1] == '\n')
                {
                    i++;
                }

                row.Add(field.ToString());
                field.Clear();
                yield return row;
                row = [];
            }
            else
            {
                field.Append(c);
            }
        }

        if (quoted)
        {
            throw new SnapshotFormatException("the CSV ends inside a quoted field");
        }

        if (field.Length > 0 || row.Count > 0)
        {
            row.Add(field.ToString());
            yield return row;
        }
    }
}
