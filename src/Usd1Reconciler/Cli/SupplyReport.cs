using System.Numerics;
using System.Text.Json;
using Usd1Reconciler.Core.Amounts;
using Usd1Reconciler.Core.Presentation;
using Usd1Reconciler.Core.Supply;

namespace Usd1Reconciler.Cli;

/// <summary>
/// The supply figures `usd1rec supply` prints, derived from the store alone. A network's on-chain figure is shown only
/// when a ledger proof was taken at its current final block and within its freshness budget; otherwise the proof is
/// "stale" and the figure null, because a number without that pairing proves nothing. The table is for people (token
/// units with the stored decimals and the configured symbol); JSON keeps base units.
/// </summary>
internal sealed record SupplyReport(IReadOnlyList<SupplyReport.Network> Networks, BigInteger TotalSupply)
{
    public static SupplyReport Build(IReadOnlyList<NetworkSupply> stored, IReadOnlyList<(string Name, TimeSpan StaleAfter)> configured, DateTimeOffset now)
    {
        var byName = stored.ToDictionary(s => s.Name, StringComparer.Ordinal);
        var rows = new List<Network>();
        foreach (var (name, staleAfter) in configured)
        {
            rows.Add(byName.Remove(name, out var supply)
                ? Row(supply, staleAfter, now)
                : new Network(name, 0, null, -1, 0, LedgerProofStatus.Stale, 0, 0, 0, null));
        }

        // Networks that were indexed under an earlier configuration still hold supply; they are shown, and judged
        // against the default budget, rather than silently dropped from the total.
        foreach (var supply in byName.Values.OrderBy(s => s.NetworkId))
        {
            rows.Add(Row(supply, new Configuration.NetworkOptions().StaleAfter, now));
        }

        return new SupplyReport(rows, rows.Aggregate(BigInteger.Zero, (sum, r) => sum + r.IndexedSupply));
    }

    private static Network Row(NetworkSupply s, TimeSpan staleAfter, DateTimeOffset now)
    {
        var status = LedgerProof.Evaluate(s.LatestProof, s.FinalBlock, now, staleAfter, s.FailingSince);
        var onchain = status == LedgerProofStatus.Stale ? (BigInteger?)null : s.LatestProof!.OnchainSupply.Value;
        return new Network(s.Name, s.IndexedSupply, onchain, s.FinalBlock, s.ProvisionalSupply, status, s.FinalMints, s.FinalBurns, s.Reorgs, s.Token?.Decimals);
    }

    public void WriteJson(Stream stream)
    {
        using var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true });
        writer.WriteStartObject();
        writer.WriteStartArray("networks");
        foreach (var n in Networks)
        {
            writer.WriteStartObject();
            writer.WriteString("name", n.Name);
            writer.WriteString("indexedSupply", n.IndexedSupply.ToString(System.Globalization.CultureInfo.InvariantCulture));
            if (n.OnchainSupply is { } onchain)
            {
                writer.WriteString("onchainSupply", onchain.ToString(System.Globalization.CultureInfo.InvariantCulture));
            }
            else
            {
                writer.WriteNull("onchainSupply");
            }

            writer.WriteNumber("finalBlock", n.FinalBlock);
            writer.WriteString("provisionalSupply", n.ProvisionalSupply.ToString(System.Globalization.CultureInfo.InvariantCulture));
            writer.WriteString("ledgerProof", n.LedgerProof.ToString().ToLowerInvariant());
            writer.WriteNumber("mints", n.Mints);
            writer.WriteNumber("burns", n.Burns);
            writer.WriteNumber("reorgs", n.Reorgs);
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        writer.WriteString("totalSupply", TotalSupply.ToString(System.Globalization.CultureInfo.InvariantCulture));
        writer.WriteEndObject();
        writer.Flush();
        stream.WriteByte((byte)'\n');
    }

    public void WriteTable(TextWriter output, string symbol = "USD1")
    {
        output.WriteLine($"{"NETWORK",-16} {"FINAL BLOCK",12} {"INDEXED SUPPLY",30} {"ON-CHAIN SUPPLY",30} {"PROOF",-8} {"MINTS",7} {"BURNS",7} {"REORGS",6}");
        foreach (var n in Networks)
        {
            if (n.FinalBlock < 0 && n.IndexedSupply.IsZero && n.Mints == 0 && n.Burns == 0)
            {
                // Nothing final in the store: a final block of -1 and a supply of 0 would read as figures.
                output.WriteLine($"{n.Name,-16} {"not indexed yet",12}");
                continue;
            }

            var token = new TokenFormat(n.Decimals, symbol);
            output.WriteLine(
                $"{n.Name,-16} {n.FinalBlock,12} {token.Format(n.IndexedSupply),30} {(n.OnchainSupply is { } onchain ? token.Format(onchain) : "-"),30} {n.LedgerProof.ToString().ToLowerInvariant(),-8} {n.Mints,7} {n.Burns,7} {n.Reorgs,6}");
        }

        if (Networks.All(n => n.FinalBlock < 0))
        {
            output.WriteLine("total supply: not indexed yet (run `usd1rec index --config … --once`)");
            return;
        }

        output.WriteLine($"total supply (final): {TotalText(symbol)}");
    }

    /// <summary>
    /// The total in tokens: each network's base units by its own decimals, summed exactly at 18 decimals (one token is
    /// one dollar, so UsdAmount's scale holds any token of up to 18 decimals without rounding). A network whose decimals
    /// were never read has no token figure, so neither has the total; its base-unit sum is named instead.
    /// </summary>
    private string TotalText(string symbol)
    {
        if (Networks.Where(n => n.Decimals is null && !n.IndexedSupply.IsZero).Select(n => n.Name).ToList() is { Count: > 0 } unknown)
        {
            return $"– (token decimals of {string.Join(", ", unknown)} never read; {TokenFormat.Grouped(TotalSupply)} base units)";
        }

        var total = Networks.Aggregate(UsdAmount.Zero, (sum, n) => sum + UsdAmount.FromTokenUnits(n.IndexedSupply, n.Decimals ?? 0));
        return new TokenFormat(UsdAmount.Scale, symbol).Format(total.Atto);
    }

    internal sealed record Network(
        string Name,
        BigInteger IndexedSupply,
        BigInteger? OnchainSupply,
        long FinalBlock,
        BigInteger ProvisionalSupply,
        LedgerProofStatus LedgerProof,
        long Mints,
        long Burns,
        long Reorgs,
        int? Decimals);
}
