using System.Numerics;
using System.Text.Json;
using Usd1Reconciler.Core.Supply;

namespace Usd1Reconciler.Cli;

/// <summary>
/// The supply figures `usd1rec supply` prints, derived from the store alone. A network's on-chain figure is shown only
/// when a ledger proof was taken at its current final block and within its freshness budget; otherwise the proof is
/// "stale" and the figure null, because a number without that pairing proves nothing.
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
                : new Network(name, 0, null, -1, 0, LedgerProofStatus.Stale, 0, 0, 0));
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
        return new Network(s.Name, s.IndexedSupply, onchain, s.FinalBlock, s.ProvisionalSupply, status, s.FinalMints, s.FinalBurns, s.Reorgs);
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

    public void WriteTable(TextWriter output)
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

            output.WriteLine(
                $"{n.Name,-16} {n.FinalBlock,12} {n.IndexedSupply,30} {(n.OnchainSupply?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "-"),30} {n.LedgerProof.ToString().ToLowerInvariant(),-8} {n.Mints,7} {n.Burns,7} {n.Reorgs,6}");
        }

        if (Networks.All(n => n.FinalBlock < 0))
        {
            output.WriteLine("total supply: not indexed yet (run `usd1rec index --config … --once`)");
            return;
        }

        output.WriteLine($"total supply (final, base units): {TotalSupply}");
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
        long Reorgs);
}
