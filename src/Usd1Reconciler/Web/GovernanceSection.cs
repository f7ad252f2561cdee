using System.Globalization;
using System.Text;
using Usd1Reconciler.Configuration;
using Usd1Reconciler.Core.Governance;
using Usd1Reconciler.Core.Presentation;
using static Usd1Reconciler.Web.Html;

namespace Usd1Reconciler.Web;

/// <summary>
/// The control plane per network (issue 15): the governance proof (OK, MISMATCH with the facts that differ, STALE with
/// its age and why, or NOT PROVEN YET), the policy verdict with every drift item (kind, subject, expected → actual,
/// block, tx linked to the explorer), the current state in people's terms (owner, paused, role holders, minters with
/// allowances in token units, implementation and proxy admin, authorities such as Solana's mint and freeze authority),
/// then the newest changes of the log over all networks. The state is folded from the indexed events; whenever the
/// proof is not OK the page says that the chain does not currently vouch for it. A store without governance, and a
/// network without a policy, are said in words — never an empty section.
/// </summary>
internal static class GovernanceSection
{
    public const int RecentChanges = 15;

    // Roles by their keccak256 id, so a role no policy names still reads as a name (the project token's and the usual
    // AccessControl ones); any other role shows its id.
    private static readonly Dictionary<string, string> KnownRoles = new[]
        {
            "DEFAULT_ADMIN_ROLE", "ADMIN_ROLE", "MINTER_ROLE", "BURNER_ROLE", "PAUSER_ROLE", "DENYLISTER_ROLE", "BLACKLISTER_ROLE",
            "UPGRADER_ROLE", "RESCUER_ROLE",
        }
        .Select(name => (Ok: GovernancePolicyFactory.TryRole(name, out var id), Id: id, Name: name))
        .ToDictionary(r => r.Id, r => r.Name, StringComparer.Ordinal);

    /// <param name="networks">Null when the store keeps no governance record.</param>
    public static void Render(StringBuilder html, IReadOnlyList<GovernanceSectionNetwork>? networks, StatusPageSettings settings, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(settings);
        html.Append("<section id=\"governance-section\"><h2>Control plane (governance)</h2>");
        if (networks is null)
        {
            html.Append("<p>").Append(Figure("governance", "NOT RECORDED", "bad"))
                .Append(" <span class=\"muted\">this store keeps no governance record: privileged actions are neither indexed nor proven here</span></p></section>");
            return;
        }

        foreach (var network in networks)
        {
            RenderNetwork(html, network, settings.TokenSymbol, now);
        }

        RenderLog(html, networks);
        html.Append("</section>");
    }

    private static void RenderNetwork(StringBuilder html, GovernanceSectionNetwork n, string symbol, DateTimeOffset now)
    {
        var name = n.Network.Name;
        var stale = n.Status == GovernanceProofStatus.Stale;
        html.Append(CultureInfo.InvariantCulture, $"<div class=\"gov{(n.Status == GovernanceProofStatus.Ok ? "" : " stale")}\" data-governance=\"{E(name)}\"><h3>{E(name)}</h3>");
        RenderProof(html, n, stale, now);
        RenderPolicy(html, n, symbol);
        RenderState(html, n, symbol);
        html.Append("</div>");
    }

    private static void RenderProof(StringBuilder html, GovernanceSectionNetwork n, bool stale, DateTimeOffset now)
    {
        var name = n.Network.Name;
        var position = n.Network.PositionName;
        html.Append("<p>governance proof ");
        if (n.Proof is not { } proof)
        {
            html.Append(Figure($"gov-proof:{name}", "NOT PROVEN YET", "bad")).Append(' ').Append(StaleBadge)
                .Append(" <span class=\"bad\">no proof stored yet: nothing read from the chain vouches for the state below</span></p>");
            return;
        }

        var text = n.Status switch
        {
            GovernanceProofStatus.Ok => "OK",
            GovernanceProofStatus.Mismatch => "MISMATCH",
            _ => "STALE",
        };
        html.Append(Figure($"gov-proof:{name}", text, n.Status == GovernanceProofStatus.Ok ? "ok" : "bad"));
        if (stale)
        {
            html.Append(' ').Append(StaleBadge);
        }

        html.Append(CultureInfo.InvariantCulture, $" at {E(position)} ")
            .Append(proof.BlockNumber >= 0 ? Figure($"gov-proof-block:{name}", TokenFormat.Grouped(proof.BlockNumber)) : $"– (no final {E(position)} yet)")
            .Append(", checked ").Append(Figure($"gov-proof-checked:{name}", UtcText.Format(proof.CheckedAt)))
            .Append(" (").Append(Figure($"gov-proof-age:{name}", Age(now, proof.CheckedAt), stale ? "bad" : null)).Append(')');
        if (stale)
        {
            // The first cause that applies, in GovernanceProof.Evaluate's order.
            var why = proof.Status == GovernanceProofStatus.Stale ? proof.Reason ?? "the chain could not be read"
                : now - proof.CheckedAt > n.Network.StaleAfter ? $"older than its budget of {DurationText.Format(n.Network.StaleAfter)}"
                : $"not at the current final {position}";
            html.Append(CultureInfo.InvariantCulture, $": <span class=\"bad\">{E(why)}</span>");
        }

        html.Append(CultureInfo.InvariantCulture, $" <span class=\"muted\">state hash <code>{E(proof.StateHash.Length > 16 ? proof.StateHash[..16] + "…" : proof.StateHash)}</code></span></p>");
        if (proof.Differences.Count > 0)
        {
            html.Append("<table class=\"grid\"><caption class=\"bad\">the chain differs from the state folded from events: a privileged change emitted no event</caption>")
                .Append(Header("fact", "folded from events", "on the chain")).Append("<tbody>");
            foreach (var d in proof.Differences)
            {
                html.Append("<tr>").Append(Cell("fact", E(d.Subject))).Append(Cell("folded from events", E(d.Folded)))
                    .Append(Cell("on the chain", E(d.Chain), "bad", $"gov-difference:{name}:{d.Subject}")).Append("</tr>");
            }

            html.Append("</tbody></table>");
        }
    }

    private static void RenderPolicy(StringBuilder html, GovernanceSectionNetwork n, string symbol)
    {
        var name = n.Network.Name;
        if (n.Policy is null)
        {
            html.Append("<p>policy: ").Append(Figure($"gov-policy:{name}", "no policy configured", "warn"))
                .Append(" <span class=\"muted\">(no Networks:N:Governance section): the state is recorded and proven, not checked against a policy</span></p>");
            return;
        }

        if (n.Drift.Count == 0)
        {
            html.Append("<p>policy: ").Append(Figure($"gov-policy:{name}", "within policy", "ok")).Append("</p>");
            return;
        }

        html.Append("<p>policy: ").Append(Figure($"gov-policy:{name}", n.Drift.Count == 1 ? "1 drift item" : $"{n.Drift.Count} drift items", "bad")).Append("</p>")
            .Append("<table class=\"grid fixed\"><colgroup><col class=\"w-kind\"><col><col><col class=\"w-block\"><col class=\"w-tx\"></colgroup>")
            .Append(Header("kind", "subject", "expected → actual", n.Network.PositionName, "tx")).Append("<tbody>");
        var tokens = new TokenFormat(n.Decimals, symbol);
        foreach (var d in n.Drift)
        {
            html.Append("<tr class=\"stale\">").Append(Cell("kind", E(d.Kind), "bad")).Append(Cell("subject", E(d.Subject)))
                .Append(Cell("expected → actual", E(ExpectedToActual(d, n.Policy, n.State, tokens)), null, $"gov-drift:{name}:{d.Kind}:{d.Subject}"))
                .Append(Cell(n.Network.PositionName, d.BlockNumber is { } block ? E(TokenFormat.Grouped(block)) : "–", "num"))
                .Append(Cell("tx", TxLink(n.Network, d.TransactionId))).Append("</tr>");
        }

        html.Append("</tbody></table>");
    }

    private static void RenderState(StringBuilder html, GovernanceSectionNetwork n, string symbol)
    {
        var name = n.Network.Name;
        var state = n.State;
        var rows = new List<(string Label, string Value, string Figure)>();
        var solana = n.Network.PositionName == "slot";
        if (!solana || state.Owner is not null)
        {
            rows.Add(("owner", state.Owner ?? "none seen", $"gov-owner:{name}"));
        }

        if (state.PendingOwner is { } pending)
        {
            rows.Add(("pending owner", pending, $"gov-pending-owner:{name}"));
        }

        rows.Add(("paused", state.Paused switch { true => "yes", false => "no", null => "no (no pause event seen)" }, $"gov-paused:{name}"));
        if (!solana)
        {
            rows.Add(("implementation", state.Implementation ?? "none seen (no Upgraded event)", $"gov-implementation:{name}"));
            rows.Add(("proxy admin", state.ProxyAdmin ?? "none seen (no AdminChanged event)", $"gov-proxy-admin:{name}"));
        }

        if (state.Beacon is { } beacon)
        {
            rows.Add(("beacon", beacon, $"gov-beacon:{name}"));
        }

        foreach (var (role, holders) in state.Roles)
        {
            var label = RoleName(role, n.Policy);
            rows.Add(("role " + label, holders.Count == 0 ? "nobody" : string.Join(", ", holders), $"gov-role:{name}:{label}"));
        }

        var tokens = new TokenFormat(n.Decimals, symbol);
        foreach (var (minter, allowance) in state.Minters)
        {
            rows.Add(("minter " + minter, "allowance " + tokens.Format(allowance), $"gov-minter:{name}:{minter}"));
        }

        if (solana)
        {
            foreach (var key in new[] { GovernanceAuthorities.MintTokens, GovernanceAuthorities.FreezeAccount })
            {
                if (!state.Authorities.ContainsKey(key))
                {
                    rows.Add((AuthorityName(key), "none seen", $"gov-authority:{name}:{key}"));
                }
            }
        }

        foreach (var (key, holder) in state.Authorities)
        {
            rows.Add((AuthorityName(key), holder ?? "none", $"gov-authority:{name}:{key}"));
        }

        rows.Add(("denylisted accounts", TokenFormat.Grouped(state.Denylisted.Count), $"gov-denylisted:{name}"));
        if (solana || state.Frozen.Count > 0)
        {
            rows.Add(("frozen accounts", TokenFormat.Grouped(state.Frozen.Count), $"gov-frozen:{name}"));
        }

        var vouched = n.Status == GovernanceProofStatus.Ok;
        html.Append(CultureInfo.InvariantCulture, $"<table class=\"grid fixed\"><caption class=\"{(vouched ? "muted" : "warn")}\">state folded from {E(TokenFormat.Grouped(state.ChangeCount))} privileged change(s){(vouched ? ", proven against the chain" : "; not vouched for by a current proof")}</caption>")
            .Append("<colgroup><col class=\"w-fact\"><col></colgroup>").Append(Header("fact", "value")).Append("<tbody>");
        foreach (var (label, value, figure) in rows)
        {
            html.Append("<tr>").Append(Cell("fact", E(label))).Append(Cell("value", E(value), null, figure)).Append("</tr>");
        }

        html.Append("</tbody></table>");
    }

    private static void RenderLog(StringBuilder html, IReadOnlyList<GovernanceSectionNetwork> networks)
    {
        var recent = networks
            .SelectMany(n => n.Applied.Select(c => (Network: n.Network, Policy: n.Policy, Change: c)))
            .OrderByDescending(x => x.Change.BlockTime ?? DateTimeOffset.MinValue)
            .ThenByDescending(x => x.Change.BlockNumber)
            .ThenByDescending(x => x.Change.Position)
            .Take(RecentChanges)
            .ToList();
        html.Append("<h3>Recent privileged changes</h3>");
        if (recent.Count == 0)
        {
            html.Append("<p>").Append(Figure("gov-log", "no privileged change recorded", "muted")).Append("</p>");
            return;
        }

        html.Append("<table class=\"grid fixed\" id=\"governance-log\"><colgroup><col class=\"w-time\"><col class=\"w-net\"><col class=\"w-block\"><col class=\"w-tx\"><col class=\"w-actor\"><col></colgroup>")
            .Append(Header("time", "network", "block / slot", "tx", "actor", "change")).Append("<tbody>");
        foreach (var (network, policy, c) in recent)
        {
            var key = $"{c.Network}:{c.TransactionId}:{c.Position.ToString(CultureInfo.InvariantCulture)}:{c.SubPosition.ToString(CultureInfo.InvariantCulture)}";
            html.Append("<tr>")
                .Append(Cell("time", E(UtcText.Format(c.BlockTime)), null, $"gov-change-time:{key}"))
                .Append(Cell("network", E(c.Network)))
                .Append(Cell("block / slot", E(TokenFormat.Grouped(c.BlockNumber)) + (c.IsFinal ? "" : " <span class=\"warn\">unfinal</span>"), "num"))
                .Append(Cell("tx", TxLink(network, c.TransactionId)))
                .Append(Cell("actor", c.Actor is null ? "–" : $"<code title=\"{E(c.Actor)}\">{E(ShortId(c.Actor))}</code>"))
                .Append(Cell("change", E(Describe(c, policy)), null, $"gov-change:{key}"))
                .Append("</tr>");
        }

        html.Append("</tbody></table>");
    }

    // The log's "kind subject: old → new" (GovernanceChange.Describe), a role named as the state table names it.
    private static string Describe(GovernanceChange c, GovernancePolicy? policy) =>
        c.Kind is GovernanceChangeKind.RoleGranted or GovernanceChangeKind.RoleRevoked or GovernanceChangeKind.RoleAdminChanged
            ? (c with { Subject = RoleName(c.Subject, policy) }).Describe()
            : c.Describe();

    private static string TxLink(StatusPageNetwork network, string? tx) =>
        tx is null ? "–"
        : network.ExplorerTxUrl is { } url ? $"<a href=\"{E(url.Replace("{tx}", tx, StringComparison.Ordinal))}\" title=\"{E(tx)}\">{E(ShortId(tx))}</a>"
        : $"<code title=\"{E(tx)}\">{E(ShortId(tx))}</code>";

    private static string RoleName(string role, GovernancePolicy? policy) =>
        policy is not null && policy.RoleNames.TryGetValue(role, out var named) ? named
        : KnownRoles.TryGetValue(role, out var known) ? known
        : role;

    // Allowances in token units, as the state table shows them; every other item as the drift check words it.
    private static string ExpectedToActual(GovernanceDriftItem d, GovernancePolicy policy, GovernanceState state, TokenFormat tokens)
    {
        var allowance = state.Minters.TryGetValue(d.Subject, out var held) ? tokens.Format(held) : null;
        return d.Kind switch
        {
            "allowance" when allowance is not null && policy.MinterAllowances?.TryGetValue(d.Subject, out var maximum) == true =>
                $"at most {tokens.Format(maximum)} → {allowance}",
            "minter" when allowance is not null => $"{d.Expected} → minter with allowance {allowance}",
            _ => $"{d.Expected} → {d.Actual}",
        };
    }

    private static string AuthorityName(string key) => key switch
    {
        GovernanceAuthorities.MintTokens => "mint authority",
        GovernanceAuthorities.FreezeAccount => "freeze authority",
        GovernanceAuthorities.MasterMinter => "master minter",
        _ => key + " authority",
    };
}
