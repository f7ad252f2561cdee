using System.Globalization;
using System.Text;
using System.Text.Json;
using Usd1Reconciler.Core.Amounts;
using Usd1Reconciler.Core.Reserves;
using Usd1Reconciler.Core.Supply;

namespace Usd1Reconciler.Core.Reconciliation;

/// <summary>
/// The one serialization of a report that is hashed: compact JSON, properties in a fixed order, amounts as decimal
/// strings, times as ISO-8601 UTC with seven fractional digits. Changing this format breaks every stored chain, so a
/// change needs a new "format" value and a verifier that knows both.
/// Formats (a stored report is hashed as stored, so each keeps verifying; readers know both):
/// 1 — every report before provenance, and every conclusive (Covered / Undercollateralized) report since: byte for
///     byte the same, so a conclusive report written today hashes as it would have before.
/// 2 — Inconclusive reports: circulatingSupplyUsd, reservesUsd, shortfallUsd and coverageBps are null (never 0 and
///     never a partial sum), rules is empty, a network whose ledger is unproven has circulating null, and
///     inconclusiveSince and lastConclusive (the newest conclusive result, or null) follow coverageBps.
/// 3 — conclusive reports made with redemption input (issue 17): format 1 byte for byte, plus a trailing "runRisk"
///     object (net redemptions per window, liquid reserves, runway, peak, surge thresholds, the business calendar).
/// 4 — a report of format 1, 2 or 3 made where the store keeps governance (issue 15): the same fields in the same
///     order with "format": 4, plus a trailing "governance" array (per network: governanceProof ok|mismatch|stale as of
///     the report, the proof's block and the hash of the governance state it proved). Which of 1–3 it extends follows
///     from its verdict and whether it has runRisk; readers key on those, so they read format 4 unchanged.
/// A format-1 Inconclusive report (written before format 2) may hold figures from partial inputs: readers must show
/// no figure for any Inconclusive report (<see cref="ReadFigures"/> does that).
/// </summary>
public static class ReportCanonicalForm
{
    /// <summary>The format of conclusive reports.</summary>
    public const int Format = 1;

    /// <summary>The format of Inconclusive reports: figures absent, last conclusive result carried.</summary>
    public const int InconclusiveFormat = 2;

    /// <summary>The format of conclusive reports with redemption velocity and runway: format 1 plus a trailing runRisk object.</summary>
    public const int RunRiskFormat = 3;

    /// <summary>The format of any report that records the governance proofs it saw: its base format plus a trailing governance array.</summary>
    public const int GovernanceFormat = 4;

    /// <summary>A window's label, as in reports and metric labels: hours up to 48 h or when not whole days ("24h", "48h"), days above ("7d").</summary>
    public static string WindowText(TimeSpan window) =>
        window.Ticks % TimeSpan.TicksPerDay == 0 && window > TimeSpan.FromHours(48)
            ? ((long)window.TotalDays).ToString(CultureInfo.InvariantCulture) + "d"
            : ((long)window.TotalHours).ToString(CultureInfo.InvariantCulture) + "h";

    public static string Write(ReconciliationReport report, DateTimeOffset createdAt)
    {
        ArgumentNullException.ThrowIfNull(report);
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = false }))
        {
            w.WriteStartObject();
            if (report.Verdict == ReconciliationVerdict.Inconclusive)
            {
                WriteInconclusiveHead(w, report, createdAt);
            }
            else
            {
                w.WriteNumber("format", report.Governance is not null ? GovernanceFormat : report.RunRisk is null ? Format : RunRiskFormat);
                w.WriteString("kind", report.Kind);
                w.WriteString("createdAt", Time(createdAt));
                w.WriteString("evaluatedAt", Time(report.EvaluatedAt));
                w.WriteString("verdict", VerdictText(report.Verdict));
                w.WriteString("circulatingSupplyUsd", Required(report.CirculatingSupply, "circulating supply"));
                w.WriteString("reservesUsd", Required(report.Reserves, "reserves"));
                w.WriteString("shortfallUsd", Required(report.Shortfall, "shortfall"));
                if (report.CoverageBps is { } bps)
                {
                    w.WriteNumber("coverageBps", bps);
                }
                else
                {
                    w.WriteNull("coverageBps");
                }
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
            if (report.Verdict != ReconciliationVerdict.Inconclusive && report.RunRisk is { } runRisk)
            {
                WriteRunRisk(w, runRisk, report.Policy);
            }

            if (report.Governance is { } governance)
            {
                WriteGovernance(w, governance);
            }

            w.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    /// <summary>
    /// The figures a stored report holds, in either format. Any Inconclusive report yields none (a format-1 one may
    /// hold a partial sum); its last conclusive result and inconclusive-since time come with it when it has them.
    /// </summary>
    public static ReportFigures ReadFigures(StoredReport stored)
    {
        ArgumentNullException.ThrowIfNull(stored);
        using var document = JsonDocument.Parse(stored.Canonical);
        var root = document.RootElement;
        var verdict = ParseVerdict(root.GetProperty("verdict").GetString() ?? string.Empty);
        if (verdict == ReconciliationVerdict.Inconclusive)
        {
            var last = root.TryGetProperty("lastConclusive", out var l) && l.ValueKind == JsonValueKind.Object
                ? new ConclusiveResult(
                    l.GetProperty("reportId").GetInt64(),
                    l.GetProperty("hash").GetString() ?? string.Empty,
                    ParseVerdict(l.GetProperty("verdict").GetString() ?? string.Empty),
                    ParseTime(l.GetProperty("evaluatedAt").GetString()),
                    UsdAmount.Parse(l.GetProperty("circulatingSupplyUsd").GetString() ?? string.Empty),
                    UsdAmount.Parse(l.GetProperty("reservesUsd").GetString() ?? string.Empty),
                    UsdAmount.Parse(l.GetProperty("shortfallUsd").GetString() ?? string.Empty),
                    Bps(l))
                : null;
            DateTimeOffset? since = root.TryGetProperty("inconclusiveSince", out var s) && s.ValueKind == JsonValueKind.String ? ParseTime(s.GetString()) : null;
            return new ReportFigures(verdict, null, last, since);
        }

        return new ReportFigures(
            verdict,
            new ConclusiveResult(
                stored.Id,
                stored.Hash,
                verdict,
                stored.EvaluatedAt,
                UsdAmount.Parse(root.GetProperty("circulatingSupplyUsd").GetString() ?? string.Empty),
                UsdAmount.Parse(root.GetProperty("reservesUsd").GetString() ?? string.Empty),
                UsdAmount.Parse(root.GetProperty("shortfallUsd").GetString() ?? string.Empty),
                Bps(root)),
            null,
            null);
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

    public static DateTimeOffset ParseTime(string? text) =>
        DateTimeOffset.ParseExact(text ?? string.Empty, "yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal);

    private static long? Bps(JsonElement e) =>
        e.TryGetProperty("coverageBps", out var bps) && bps.ValueKind == JsonValueKind.Number ? bps.GetInt64() : null;

    private static string Required(UsdAmount? amount, string name) =>
        amount?.ToString() ?? throw new ArgumentException($"a conclusive report needs its {name} figure", nameof(amount));

    private static void WriteInconclusiveHead(Utf8JsonWriter w, ReconciliationReport report, DateTimeOffset createdAt)
    {
        w.WriteNumber("format", report.Governance is not null ? GovernanceFormat : InconclusiveFormat);
        w.WriteString("kind", report.Kind);
        w.WriteString("createdAt", Time(createdAt));
        w.WriteString("evaluatedAt", Time(report.EvaluatedAt));
        w.WriteString("verdict", VerdictText(report.Verdict));
        w.WriteNull("circulatingSupplyUsd");
        w.WriteNull("reservesUsd");
        w.WriteNull("shortfallUsd");
        w.WriteNull("coverageBps");
        w.WriteString("inconclusiveSince", Time(report.InconclusiveSince ?? report.EvaluatedAt));
        if (report.LastConclusive is { } last)
        {
            w.WriteStartObject("lastConclusive");
            w.WriteNumber("reportId", last.ReportId);
            w.WriteString("hash", last.Hash);
            w.WriteString("verdict", VerdictText(last.Verdict));
            w.WriteString("evaluatedAt", Time(last.EvaluatedAt));
            w.WriteString("circulatingSupplyUsd", last.CirculatingSupply.ToString());
            w.WriteString("reservesUsd", last.Reserves.ToString());
            w.WriteString("shortfallUsd", last.Shortfall.ToString());
            if (last.CoverageBps is { } bps)
            {
                w.WriteNumber("coverageBps", bps);
            }
            else
            {
                w.WriteNull("coverageBps");
            }

            w.WriteEndObject();
        }
        else
        {
            w.WriteNull("lastConclusive");
        }
    }

    private static void WriteGovernance(Utf8JsonWriter w, IReadOnlyList<Governance.GovernanceSeen> governance)
    {
        w.WriteStartArray("governance");
        foreach (var g in governance)
        {
            w.WriteStartObject();
            w.WriteString("network", g.Network);
            w.WriteString("governanceProof", g.Proof.ToString().ToLowerInvariant());
            if (g.Block is { } block)
            {
                w.WriteNumber("block", block);
            }
            else
            {
                w.WriteNull("block");
            }

            WriteNullable(w, "stateHash", g.StateHash);
            w.WriteEndObject();
        }

        w.WriteEndArray();
    }

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
        // Only a proven ledger yields a circulating figure (a conclusive report has no other kind of network).
        WriteNullable(w, "circulating", n.Problem is null && n.Proof == LedgerProofStatus.Ok ? n.CirculatingUnits?.ToString(CultureInfo.InvariantCulture) : null);
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

    private static void WriteRunRisk(Utf8JsonWriter w, Redemptions.RunRisk r, ReconciliationPolicy policy)
    {
        w.WriteStartObject("runRisk");
        w.WriteStartArray("netRedemptions");
        foreach (var n in r.Windows)
        {
            w.WriteStartObject();
            w.WriteString("network", n.Network);
            w.WriteString("window", WindowText(n.Window));
            w.WriteString("netUsd", n.NetUsd.ToString());
            if (n.ShareBps is { } share)
            {
                w.WriteNumber("shareOfCirculatingBps", share);
            }
            else
            {
                w.WriteNull("shareOfCirculatingBps");
            }

            w.WriteEndObject();
        }

        w.WriteEndArray();
        w.WriteString("runwayWindow", WindowText(r.RunwayWindow));
        w.WriteString("runwayNetUsd", r.RunwayNetUsd.ToString());
        w.WriteString("liquidUsd", r.LiquidUsd.ToString());
        WriteNullable(w, "runwayDays", r.RunwayDays);
        w.WriteString("peakNetUsd", r.PeakNetUsd.ToString());
        if (r.ShareOfLiquidBps is { } liquidShare)
        {
            w.WriteNumber("shareOfLiquidBps", liquidShare);
        }
        else
        {
            w.WriteNull("shareOfLiquidBps");
        }

        w.WriteNumber("surgeShareOfSupplyBps", r.SurgeShareOfSupplyBps);
        w.WriteNumber("surgeShareOfLiquidBps", r.SurgeShareOfLiquidBps);
        w.WriteBoolean("stressFromObservation", r.StressFromObservation);
        w.WriteBoolean("surge", r.Surge);
        if (policy.Calendar is { } calendar)
        {
            w.WriteStartObject("businessCalendar");
            w.WriteString("timeZone", calendar.TimeZone.Id);
            w.WriteStartArray("weekend");
            foreach (var day in calendar.Weekend.Order())
            {
                w.WriteStringValue(day.ToString());
            }

            w.WriteEndArray();
            w.WriteStartArray("holidays");
            foreach (var day in calendar.Holidays.Order())
            {
                w.WriteStringValue(day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
            }

            w.WriteEndArray();
            w.WriteEndObject();
        }
        else
        {
            w.WriteNull("businessCalendar");
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
