using System.Globalization;
using System.Text;
using System.Text.Json;
using Usd1Reconciler.Core.Reserves;

namespace Usd1Reconciler.Core.Reconciliation;

/// <summary>
/// The one serialization of a report that is hashed: compact JSON, properties in a fixed order, amounts as decimal
/// strings, times as ISO-8601 UTC with seven fractional digits. Changing this format breaks every stored chain, so a
/// change needs a new "format" value and a verifier that knows both.
/// </summary>
public static class ReportCanonicalForm
{
    public const int Format = 1;

    public static string Write(ReconciliationReport report, DateTimeOffset createdAt)
    {
        ArgumentNullException.ThrowIfNull(report);
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = false }))
        {
            w.WriteStartObject();
            w.WriteNumber("format", Format);
            w.WriteString("kind", report.Kind);
            w.WriteString("createdAt", Time(createdAt));
            w.WriteString("evaluatedAt", Time(report.EvaluatedAt));
            w.WriteString("verdict", VerdictText(report.Verdict));
            w.WriteString("circulatingSupplyUsd", report.CirculatingSupply.ToString());
            w.WriteString("reservesUsd", report.Reserves.ToString());
            w.WriteString("shortfallUsd", report.Shortfall.ToString());
            if (report.CoverageBps is { } bps)
            {
                w.WriteNumber("coverageBps", bps);
            }
            else
            {
                w.WriteNull("coverageBps");
            }

            w.WriteStartArray("failingInputs");
            foreach (var failing in report.FailingInputs)
            {
                w.WriteStringValue(failing);
            }

            w.WriteEndArray();
            w.WriteStartArray("rules");
            foreach (var rule in report.Rules)
            {
                w.WriteStartObject();
                w.WriteString("rule", rule.Rule);
                w.WriteBoolean("passed", rule.Passed);
                w.WriteString("shortfallUsd", rule.Shortfall.ToString());
                w.WriteString("detail", rule.Detail);
                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteStartObject("policy");
            w.WriteNumber("minimumCoverageBps", report.Policy.MinimumCoverageBps);
            w.WriteNumber("liquidityDays", report.Policy.LiquidityDays);
            w.WriteNumber("liquidityShareBps", report.Policy.LiquidityShareBps);
            w.WriteNumber("maxConcentrationBps", report.Policy.MaxConcentrationBps);
            w.WriteEndObject();
            w.WriteStartArray("networks");
            foreach (var n in report.Networks)
            {
                WriteNetwork(w, n);
            }

            w.WriteEndArray();
            w.WriteStartArray("feeds");
            foreach (var f in report.Feeds)
            {
                WriteFeed(w, f);
            }

            w.WriteEndArray();
            w.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    public static string VerdictText(ReconciliationVerdict verdict) => verdict switch
    {
        ReconciliationVerdict.Covered => "covered",
        ReconciliationVerdict.Undercollateralized => "undercollateralized",
        ReconciliationVerdict.Inconclusive => "inconclusive",
        _ => throw new ArgumentOutOfRangeException(nameof(verdict), verdict, "unknown verdict"),
    };

    public static ReconciliationVerdict ParseVerdict(string text) => text switch
    {
        "covered" => ReconciliationVerdict.Covered,
        "undercollateralized" => ReconciliationVerdict.Undercollateralized,
        "inconclusive" => ReconciliationVerdict.Inconclusive,
        _ => throw new FormatException($"unknown verdict '{text}'"),
    };

    public static string Time(DateTimeOffset time) =>
        time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture);

    private static void WriteNetwork(Utf8JsonWriter w, NetworkCirculation n)
    {
        w.WriteStartObject();
        w.WriteString("network", n.Network);
        w.WriteString("kind", n.Kind.ToString().ToLowerInvariant());
        w.WriteNumber("block", n.Block);
        w.WriteNumber("decimals", n.Decimals);
        WriteNullable(w, "onchainSupply", n.OnchainSupply?.ToString());
        w.WriteString("ledgerProof", n.Proof.ToString().ToLowerInvariant());
        w.WriteStartArray("excluded");
        foreach (var h in n.Excluded)
        {
            w.WriteStartObject();
            w.WriteString("address", h.Address);
            w.WriteString("label", h.Label);
            w.WriteString("balance", h.Balance.ToString());
            w.WriteEndObject();
        }

        w.WriteEndArray();
        WriteNullable(w, "circulating", n.CirculatingUnits?.ToString(CultureInfo.InvariantCulture));
        WriteNullable(w, "bridgedFrom", n.BridgedFrom);
        WriteNullable(w, "problem", n.Problem);
        w.WriteEndObject();
    }

    private static void WriteFeed(Utf8JsonWriter w, FeedInput f)
    {
        w.WriteStartObject();
        w.WriteString("feed", f.Feed);
        w.WriteString("staleAfter", f.StaleAfter.ToString("c", CultureInfo.InvariantCulture));
        WriteNullable(w, "latestRejection", f.LatestRejection);
        if (f.Snapshot is { } s)
        {
            w.WriteStartObject("snapshot");
            w.WriteNumber("id", s.Id);
            w.WriteString("custodian", s.Custodian);
            w.WriteString("asOf", Time(s.AsOf));
            w.WriteString("receivedAt", Time(s.ReceivedAt));
            w.WriteString("contentSha256", s.ContentSha256);
            WriteNullable(w, "signature", s.Signature);
            WriteNullable(w, "attestation", s.Attestation);
            w.WriteString("totalUsd", s.Total.ToString());
            w.WriteStartArray("accounts");
            foreach (var a in s.Accounts)
            {
                w.WriteStartObject();
                w.WriteString("id", a.AccountId);
                w.WriteString("assetClass", AssetClassNames.ToWire(a.AssetClass));
                w.WriteString("currency", a.Currency);
                w.WriteString("amountUsd", a.Amount.ToString());
                w.WriteString("bank", a.Bank);
                if (a.DaysToLiquidity is { } days)
                {
                    w.WriteNumber("daysToLiquidity", days);
                }
                else
                {
                    w.WriteNull("daysToLiquidity");
                }

                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteEndObject();
        }
        else
        {
            w.WriteNull("snapshot");
        }

        w.WriteEndObject();
    }

    private static void WriteNullable(Utf8JsonWriter w, string name, string? value)
    {
        if (value is null)
        {
            w.WriteNull(name);
        }
        else
        {
            w.WriteString(name, value);
        }
    }
}
