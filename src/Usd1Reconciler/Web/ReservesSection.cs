using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Usd1Reconciler.Core.Amounts;
using Usd1Reconciler.Core.Presentation;
using Usd1Reconciler.Core.Reconciliation;
using static Usd1Reconciler.Web.Html;

namespace Usd1Reconciler.Web;

/// <summary>
/// Reserves for a treasury desk: the total, its split by asset class and by custodian (bars with exact shares), the
/// liquidity rule's liquid reserves against the stress requirement, and each feed's snapshot with its age against its
/// budget. Composition and liquidity come from a conclusive report only — the newest one, or, while the newest is
/// Inconclusive, the last conclusive one, marked STALE with its age: a composition summed from partial inputs would be
/// a figure from a missing input (invariant 9). The feed table always shows the newest report's inputs.
/// </summary>
internal static partial class ReservesSection
{
    public static void Render(StringBuilder html, StoredReport? composition, bool current, JsonElement? latestRoot, DateTimeOffset now)
    {
        html.Append("<section id=\"reserves-section\"><h2>Reserves</h2>");
        if (composition is null)
        {
            html.Append("<p class=\"warn\">no conclusive report yet: no reserve figure</p>");
        }
        else
        {
            using var document = JsonDocument.Parse(composition.Canonical);
            var root = document.RootElement;
            var total = UsdAmount.Parse(root.GetProperty("reservesUsd").GetString()!);
            html.Append(CultureInfo.InvariantCulture, $"<p class=\"total{(current ? "" : " stale")}\">total eligible reserves {Figure("reserves-total", UsdText.Format(total))}")
                .Append(current ? "" : $" {StaleBadge} <span class=\"warn\">from the last conclusive report #{composition.Id}, evaluated {E(UtcText.Format(composition.EvaluatedAt))} ({E(Age(now, composition.EvaluatedAt))})</span>")
                .Append("</p>");
            var accounts = Accounts(root).ToList();
            html.Append("<div class=\"columns\">");
            Bars(html, "By asset class", "asset-class", accounts.GroupBy(a => a.AssetClass, StringComparer.Ordinal), total);
            Bars(html, "By custodian", "custodian", accounts.GroupBy(a => a.Custodian, StringComparer.Ordinal), total);
            html.Append("</div>");
            Liquidity(html, root);
        }

        if (latestRoot is { } latest && latest.TryGetProperty("feeds", out var feeds))
        {
            Feeds(html, feeds, now);
        }

        html.Append("</section>");
    }

    private static IEnumerable<(string Custodian, string AssetClass, UsdAmount Amount)> Accounts(JsonElement root)
    {
        foreach (var feed in root.GetProperty("feeds").EnumerateArray())
        {
            if (feed.GetProperty("snapshot") is not { ValueKind: JsonValueKind.Object } snapshot)
            {
                continue;
            }

            foreach (var account in snapshot.GetProperty("accounts").EnumerateArray())
            {
                yield return (snapshot.GetProperty("custodian").GetString()!, account.GetProperty("assetClass").GetString()!, UsdAmount.Parse(account.GetProperty("amountUsd").GetString()!));
            }
        }
    }

    /// <summary>One bar per group, largest first (name breaks ties): the share is exact bps of the total, floor.</summary>
    private static void Bars(StringBuilder html, string title, string figure, IEnumerable<IGrouping<string, (string Custodian, string AssetClass, UsdAmount Amount)>> groups, UsdAmount total)
    {
        var rows = groups.Select(g => (Name: g.Key, Amount: g.Aggregate(UsdAmount.Zero, (sum, a) => sum + a.Amount)))
            .OrderByDescending(g => g.Amount).ThenBy(g => g.Name, StringComparer.Ordinal).ToList();
        html.Append(CultureInfo.InvariantCulture, $"<div class=\"bars\" id=\"{figure}-bars\"><h3>{E(title)}</h3>");
        foreach (var (name, amount) in rows)
        {
            var share = amount.RatioBps(total) ?? 0;
            var width = (Math.Clamp(share, 0, 10_000) / 100m).ToString("0.##", CultureInfo.InvariantCulture);
            html.Append(CultureInfo.InvariantCulture, $"<div class=\"bar-row\" data-{figure}=\"{E(name)}\"><div class=\"bar-label\"><span>{E(DisplayName(figure, name))}</span>")
                .Append(CultureInfo.InvariantCulture, $"<span>{Figure($"{figure}:{name}", UsdText.Format(amount))} <span class=\"muted\">{E(PercentText.FromBps(share))}</span></span></div>")
                .Append(CultureInfo.InvariantCulture, $"<div class=\"bar\"><span style=\"width:{width}%\"></span></div></div>");
        }

        html.Append("</div>");
    }

    /// <summary>An asset class's wire name ("tbills") as a desk reads it; a custodian's name as it is.</summary>
    private static string DisplayName(string figure, string name) => figure != "asset-class" ? name : name switch
    {
        "cash" => "Cash",
        "tbills" => "Treasury bills",
        "reverse_repo" => "Reverse repo",
        "mmf" => "Money market funds",
        "other" => "Other",
        _ => name,
    };

    private static void Liquidity(StringBuilder html, JsonElement root)
    {
        var rule = root.GetProperty("rules").EnumerateArray().FirstOrDefault(r => r.GetProperty("rule").GetString() == "liquidity");
        if (rule.ValueKind != JsonValueKind.Object)
        {
            return;
        }

        var passed = rule.GetProperty("passed").GetBoolean();
        var shortfall = UsdAmount.Parse(rule.GetProperty("shortfallUsd").GetString()!);
        var policy = root.GetProperty("policy");
        html.Append("<h3>Liquidity against the stress rule</h3><p id=\"liquidity\">");
        // The rule's detail is hashed report text; its figures are the Reconciler's own (liquid and required, exact decimals).
        if (LiquidityDetail().Match(rule.GetProperty("detail").GetString() ?? "") is { Success: true } m)
        {
            html.Append(CultureInfo.InvariantCulture, $"liquid within {E(m.Groups["days"].Value)} days {Figure("liquid", UsdText.FormatText(m.Groups["liquid"].Value))}")
                .Append(CultureInfo.InvariantCulture, $" against the stress requirement {Figure("liquidity-required", UsdText.FormatText(m.Groups["required"].Value))}");
        }
        else
        {
            html.Append(E(rule.GetProperty("detail").GetString()));
        }

        html.Append(CultureInfo.InvariantCulture, $" <span class=\"muted\">({E(PercentText.FromBps(policy.GetProperty("liquidityShareBps").GetInt64()))} of circulating supply within {policy.GetProperty("liquidityDays").GetInt32()} days)</span> ")
            .Append(passed ? "<span class=\"ok\">met</span>" : $"<span class=\"bad\">SHORT by {Figure("liquidity-shortfall", UsdText.Format(shortfall))}</span>")
            .Append("</p>");
    }

    private static void Feeds(StringBuilder html, JsonElement feeds, DateTimeOffset now)
    {
        html.Append("<h3>Feeds</h3><table class=\"grid\" id=\"feeds\">").Append(Header("feed", "custodian", "as of", "age", "budget", "total")).Append("<tbody>");
        foreach (var feed in feeds.EnumerateArray())
        {
            var name = feed.GetProperty("feed").GetString()!;
            html.Append(CultureInfo.InvariantCulture, $"<tr data-feed=\"{E(name)}\">").Append(Cell("feed", E(name)));
            if (feed.GetProperty("snapshot") is not { ValueKind: JsonValueKind.Object } snapshot)
            {
                html.Append(Cell("custodian", "<span class=\"bad\">no accepted snapshot</span>")).Append(Cell("as of", "–")).Append(Cell("age", "–")).Append(Cell("budget", "–")).Append(Cell("total", "–", "num")).Append("</tr>");
                continue;
            }

            var asOf = ReportCanonicalForm.ParseTime(snapshot.GetProperty("asOf").GetString());
            var budget = TimeSpan.ParseExact(feed.GetProperty("staleAfter").GetString()!, "c", CultureInfo.InvariantCulture);
            var stale = now - asOf > budget;
            html.Append(Cell("custodian", E(snapshot.GetProperty("custodian").GetString())))
                .Append(Cell("as of", E(UtcText.Format(asOf))))
                .Append(Cell("age", E(DurationText.Format(asOf > now ? TimeSpan.Zero : now - asOf)) + (stale ? " " + StaleBadge : ""), stale ? "stale" : null))
                .Append(Cell("budget", E(DurationText.Format(budget))))
                .Append(Cell("total", E(UsdText.FormatText(snapshot.GetProperty("totalUsd").GetString())), "num" + (stale ? " stale" : ""), $"feed-total:{name}"))
                .Append("</tr>");
        }

        html.Append("</tbody></table>");
    }

    [GeneratedRegex(@"^liquid within (?<days>\d+) days (?<liquid>-?[0-9.]+) USD vs required (?<required>-?[0-9.]+) USD")]
    private static partial Regex LiquidityDetail();
}
