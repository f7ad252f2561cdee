using System.Globalization;
using System.Text;
using Usd1Reconciler.Core.Presentation;
using Usd1Reconciler.Core.Supply;
using static Usd1Reconciler.Web.Html;

namespace Usd1Reconciler.Web;

/// <summary>
/// Supply per network in token units (the stored decimals, the configured symbol), in configuration order. A network
/// whose ledger proof is not current is marked STALE — the row, the proof and the on-chain figure, which is then not
/// shown at all (a figure without its proof at the final block proves nothing) — with since when and why it fails.
/// A network whose decimals were never read shows base units, labelled so.
/// </summary>
internal static class SupplySection
{
    public static void Render(StringBuilder html, IReadOnlyList<NetworkSupply> supplies, StatusPageSettings settings, DateTimeOffset now)
    {
        html.Append("<section id=\"supply-section\"><h2>Supply per network</h2><table class=\"grid\" id=\"networks\">")
            .Append(Header("network", "indexed supply (final)", "on-chain supply", "ledger proof", "final block", "last indexed", "mints", "burns", "reorgs"))
            .Append("<tbody>");
        foreach (var (s, budget) in InStableOrder(supplies, settings))
        {
            var status = LedgerProof.Evaluate(s.LatestProof, s.FinalBlock, now, budget, s.FailingSince);
            var stale = status == LedgerProofStatus.Stale;
            var token = new TokenFormat(s.Token?.Decimals, settings.TokenSymbol);
            var onchain = stale || s.LatestProof is null ? "–" : E(token.Format(s.LatestProof.OnchainSupply));
            var indexed = E(token.Format(s.IndexedSupply)) + (stale ? " " + StaleBadge : "");
            var last = s.LastIndexedAt is { } at ? $"{E(Age(now, at))}" : "never";
            if (s.FailingSince is { } since)
            {
                last += $"<br><span class=\"bad\">failing since {E(UtcText.Format(since))}: {E(s.FailingReason)}</span>";
            }

            html.Append(CultureInfo.InvariantCulture, $"<tr data-network=\"{E(s.Name)}\"{(stale ? " class=\"stale\"" : "")}>")
                .Append(Cell("network", E(s.Name), "name"))
                .Append(Cell("indexed supply (final)", indexed, "num indexed", $"indexed:{s.Name}"))
                .Append(Cell("on-chain supply", onchain, "num onchain", $"onchain:{s.Name}"))
                .Append(Cell("ledger proof", stale ? "STALE" : status.ToString().ToLowerInvariant(), "proof " + (status == LedgerProofStatus.Ok ? "ok" : "bad")))
                .Append(Cell("final block", E(TokenFormat.Grouped(s.FinalBlock)), "num final", $"final:{s.Name}"))
                .Append(Cell("last indexed", last))
                .Append(Cell("mints", E(TokenFormat.Grouped(s.FinalMints)), "num mints", $"mints:{s.Name}"))
                .Append(Cell("burns", E(TokenFormat.Grouped(s.FinalBurns)), "num burns", $"burns:{s.Name}"))
                .Append(Cell("reorgs", E(TokenFormat.Grouped(s.Reorgs)), "num reorgs", $"reorgs:{s.Name}"))
                .Append("</tr>");
            if (s.TokenIdentityMismatch is { } mismatch)
            {
                html.Append(CultureInfo.InvariantCulture, $"<tr class=\"stale\"><td colspan=\"9\" class=\"bad\">{E(s.Name)}: token identity changed on the chain ({E(mismatch)}); figures keep the stored identity</td></tr>");
            }
        }

        html.Append("</tbody></table></section>");
    }

    /// <summary>Configured networks in configuration order, then networks only the store still knows, by name.</summary>
    public static IEnumerable<(NetworkSupply Supply, TimeSpan StaleAfter)> InStableOrder(IReadOnlyList<NetworkSupply> supplies, StatusPageSettings settings)
    {
        var byName = supplies.ToDictionary(s => s.Name, StringComparer.Ordinal);
        foreach (var network in settings.Networks)
        {
            if (byName.Remove(network.Name, out var supply))
            {
                yield return (supply, network.StaleAfter);
            }
        }

        foreach (var supply in byName.Values.OrderBy(s => s.Name, StringComparer.Ordinal))
        {
            yield return (supply, StatusPageSettings.DefaultStaleAfter);
        }
    }
}
