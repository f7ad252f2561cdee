using System.Numerics;
using System.Text;
using System.Text.RegularExpressions;
using Usd1Reconciler.Core.Governance;
using Usd1Reconciler.Web;

namespace Usd1Reconciler.Tests.Host.Web;

/// <summary>The status page's control-plane section rendered from folded changes and stored proofs (no store, no network).</summary>
public sealed partial class GovernanceSectionTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 1, 10, 0, 0, TimeSpan.Zero);
    private const string Minter = "0x00000000000000000000000000000000000000aa";
    private const string Owner = "0x00000000000000000000000000000000000000bb";
    private const string MinterRole = "0x9f2df0fed2c77648de5860a4cc508cd0818c85b8b8a1ab4ceeef8d981c8956a6";

    private static GovernanceChange Change(string network, GovernanceChangeKind kind, string subject, string? value, long block, string tx, string? actor = Owner) =>
        new(network, kind, subject, null, value, actor, block, "0xhash" + block, tx, 0, -1, Now.AddMinutes(-60 + block)) { IsFinal = true };

    private static GovernanceSectionNetwork Network(
        string name,
        IReadOnlyList<GovernanceChange> changes,
        GovernanceProofReading? proof,
        GovernancePolicy? policy = null,
        string? explorer = null,
        long finalBlock = 10)
    {
        var settings = new StatusPageNetwork(name, TimeSpan.FromMinutes(5), explorer, policy);
        var fold = GovernanceFold.Fold(name, changes);
        var drift = policy is null ? [] : GovernanceDriftCheck.Check(fold.State, policy);
        var status = GovernanceProof.Evaluate(proof, finalBlock, Now, settings.StaleAfter);
        return new GovernanceSectionNetwork(settings, policy, fold.State, drift, proof, status, 6, fold.Applied);
    }

    private static GovernanceProofReading Proof(string network, long block, DateTimeOffset checkedAt, GovernanceProofStatus status = GovernanceProofStatus.Ok, string? reason = null) =>
        new(network, block, status, [], "abcdef0123456789abcdef", checkedAt, reason);

    private static string Render(params GovernanceSectionNetwork[] networks) => Render((IReadOnlyList<GovernanceSectionNetwork>)networks);

    private static string Render(IReadOnlyList<GovernanceSectionNetwork>? networks)
    {
        var html = new StringBuilder();
        var configured = networks?.Select(n => n.Network).ToList() ?? [];
        GovernanceSection.Render(html, networks, new StatusPageSettings(configured, "https://runbooks.example/", "USD1"), Now);
        return html.ToString();
    }

    [Test]
    public void Render_ProvenWithAllowanceAbovePolicy_DriftAndStateInTokenUnitsWithExplorerLink()
    {
        var changes = new[]
        {
            Change("eth", GovernanceChangeKind.OwnershipTransferred, "owner", Owner, 1, "0xtx1"),
            Change("eth", GovernanceChangeKind.MinterConfigured, Minter, "5000000000000", 7, "0xtx7"),
            Change("eth", GovernanceChangeKind.RoleGranted, MinterRole, Minter, 9, "0xtx9"),
        };
        var policy = new GovernancePolicy { MinterAllowances = new Dictionary<string, BigInteger> { [Minter] = 1_000_000_000_000 }, Owner = Owner };

        var html = Render(Network("eth", changes, Proof("eth", 10, Now.AddSeconds(-31)), policy, "https://etherscan.io/tx/{tx}"));
        var figures = Figures(html);

        Assert.Multiple(() =>
        {
            Assert.That(figures["gov-proof:eth"], Is.EqualTo("OK"));
            Assert.That(figures["gov-proof-block:eth"], Is.EqualTo("10"));
            Assert.That(figures["gov-proof-age:eth"], Is.EqualTo("31 s ago"));
            Assert.That(figures["gov-policy:eth"], Is.EqualTo("1 drift item"), "the owner is the expected one; only the allowance is outside policy");
            Assert.That(figures[$"gov-drift:eth:allowance:{Minter}"], Is.EqualTo("at most 1,000,000 USD1 → 5,000,000 USD1"), "6 decimals: allowances in token units");
            Assert.That(figures[$"gov-minter:eth:{Minter}"], Is.EqualTo("allowance 5,000,000 USD1"));
            Assert.That(figures["gov-owner:eth"], Is.EqualTo(Owner));
            Assert.That(figures["gov-paused:eth"], Is.EqualTo("no (no pause event seen)"));
            Assert.That(figures["gov-change-time:eth:0xtx7:0:-1"], Is.EqualTo("2026-12-01 09:07:00 UTC"), "block time of the change, UTC to the second");
            Assert.That(figures["gov-change:eth:0xtx7:0:-1"], Is.EqualTo($"MinterConfigured {Minter}: - → 5000000000000"));
            Assert.That(html, Does.Contain("href=\"https://etherscan.io/tx/0xtx7\""), "the drift item's and the log's transaction link to the explorer");
            Assert.That(html.IndexOf("0xtx9:0:-1", StringComparison.Ordinal), Is.LessThan(html.IndexOf("0xtx7:0:-1", StringComparison.Ordinal)), "newest change first");
            Assert.That(html.IndexOf("0xtx7:0:-1", StringComparison.Ordinal), Is.LessThan(html.IndexOf("0xtx1:0:-1", StringComparison.Ordinal)));
            Assert.That(html, Does.Not.Contain("STALE"), "a current proof is not marked");
            Assert.That(figures["gov-change:eth:0xtx9:0:-1"], Is.EqualTo($"RoleGranted MINTER_ROLE: - → {Minter}"), "a role id reads as its name in the log");
            Assert.That(figures["gov-role:eth:MINTER_ROLE"], Is.EqualTo(Minter));
        });
    }

    [Test]
    public void Render_NeverProven_NotProvenYetMarkedStaleNotOk()
    {
        var html = Render(Network("eth", [Change("eth", GovernanceChangeKind.OwnershipTransferred, "owner", Owner, 1, "0xtx1")], proof: null));
        var figures = Figures(html);

        Assert.Multiple(() =>
        {
            Assert.That(figures["gov-proof:eth"], Is.EqualTo("NOT PROVEN YET"));
            Assert.That(html, Does.Contain("<div class=\"gov stale\" data-governance=\"eth\">"), "the network's block is marked");
            Assert.That(html, Does.Contain(Html.StaleBadge));
            Assert.That(html, Does.Contain("not vouched for by a current proof"), "the state shown is the events' only");
            Assert.That(figures.Keys, Has.None.StartsWith("gov-proof-block:"), "no block or age from a proof that does not exist");
        });
    }

    [Test]
    public void Render_ProofOlderThanBudget_StaleWithItsAgeAndWhy()
    {
        var html = Render(Network("eth", [], Proof("eth", 10, Now.AddMinutes(-20))));
        var figures = Figures(html);

        Assert.Multiple(() =>
        {
            Assert.That(figures["gov-proof:eth"], Is.EqualTo("STALE"), "an ok reading 20 min old against a 5 min budget is not ok now");
            Assert.That(figures["gov-proof-age:eth"], Is.EqualTo("20 min ago"));
            Assert.That(figures["gov-proof-block:eth"], Is.EqualTo("10"));
            Assert.That(html, Does.Contain(Html.StaleBadge).And.Contain("older than its budget of 5 min"));
            Assert.That(figures["gov-log"], Is.EqualTo("no privileged change recorded"));
        });
    }

    [Test]
    public void Render_ProofBehindTheFinalBlockOrUnreadable_StaleSaysWhy()
    {
        var behind = Render(Network("eth", [], Proof("eth", 8, Now.AddSeconds(-5)), finalBlock: 12));
        var unreadable = Render(Network("eth", [], Proof("eth", 12, Now.AddSeconds(-5), GovernanceProofStatus.Stale, "eth_call owner() at block 12: HTTP 503"), finalBlock: 12));

        Assert.Multiple(() =>
        {
            Assert.That(Figures(behind)["gov-proof:eth"], Is.EqualTo("STALE"));
            Assert.That(behind, Does.Contain("not at the current final block"));
            Assert.That(Figures(unreadable)["gov-proof:eth"], Is.EqualTo("STALE"));
            Assert.That(unreadable, Does.Contain("eth_call owner() at block 12: HTTP 503"), "the stored reason");
        });
    }

    [Test]
    public void Render_Mismatch_EveryDifferingFactShown()
    {
        var proof = new GovernanceProofReading("eth", 10, GovernanceProofStatus.Mismatch, [new GovernanceProofDifference("implementation", "0xold", "0xrogue")], "hash", Now.AddSeconds(-3));

        var html = Render(Network("eth", [], proof));
        var figures = Figures(html);

        Assert.Multiple(() =>
        {
            Assert.That(figures["gov-proof:eth"], Is.EqualTo("MISMATCH"));
            Assert.That(figures["gov-difference:eth:implementation"], Is.EqualTo("0xrogue"));
            Assert.That(html, Does.Contain("<div class=\"gov stale\""));
        });
    }

    [Test]
    public void Render_NoPolicyOrNoGovernanceStore_SaidInWordsNotAnEmptySection()
    {
        var noPolicy = Render(Network("base", [], Proof("base", 10, Now)));
        var noStore = Render((IReadOnlyList<GovernanceSectionNetwork>?)null);

        Assert.Multiple(() =>
        {
            Assert.That(Figures(noPolicy)["gov-policy:base"], Is.EqualTo("no policy configured"));
            Assert.That(Figures(noStore)["governance"], Is.EqualTo("NOT RECORDED"));
            Assert.That(noStore, Does.Contain("keeps no governance record"));
        });
    }

    [Test]
    public void Render_HostileStrings_EncodedInTextAttributesAndLinks()
    {
        const string Hostile = "\"><img src=x onerror=alert(1)><script>alert(2)</script>";
        var network = "eth" + Hostile;
        var changes = new[]
        {
            Change(network, GovernanceChangeKind.OwnershipTransferred, "owner", Hostile, 1, "0xtx" + Hostile, actor: Hostile),
            Change(network, GovernanceChangeKind.AuthorityChanged, "pauser" + Hostile, Hostile, 2, "0xtx2"),
            Change(network, GovernanceChangeKind.RoleGranted, "0xrole" + Hostile, Hostile, 3, "0xtx3"),
        };
        var policy = new GovernancePolicy { Owner = Owner };
        var proof = new GovernanceProofReading(network, 10, GovernanceProofStatus.Stale, [new GovernanceProofDifference("owner" + Hostile, Hostile, Hostile)], Hostile, Now, Hostile);

        var html = Render(Network(network, changes, proof, policy, "https://explorer.example/tx/{tx}"));

        Assert.Multiple(() =>
        {
            Assert.That(html, Does.Not.Contain("<img").And.Not.Contain("<script"), "no markup from the chain or the configuration gets through");
            Assert.That(html, Does.Contain("title=\"&quot;&gt;&lt;img src=x"), "no attribute is broken out of: the actor's title stays one attribute");
            Assert.That(html, Does.Contain("&lt;script&gt;alert(2)&lt;/script&gt;"), "the text is shown, encoded");
            Assert.That(html, Does.Contain("href=\"https://explorer.example/tx/0xtx&quot;&gt;&lt;img"), "the explorer link is encoded too");
            Assert.That(Figures(html)[$"gov-owner:{network}"], Is.EqualTo(Hostile), "and reads back as the stored text");
        });
    }

    private static Dictionary<string, string> Figures(string html) =>
        FigurePattern().Matches(html).ToDictionary(
            m => System.Net.WebUtility.HtmlDecode(m.Groups["name"].Value),
            m => System.Net.WebUtility.HtmlDecode(TagPattern().Replace(m.Groups["text"].Value, "")).Trim(),
            StringComparer.Ordinal);

    [GeneratedRegex("data-figure=\"(?<name>[^\"]+)\">(?<text>.*?)</(?:span|td)>")]
    private static partial Regex FigurePattern();

    [GeneratedRegex("<[^>]+>")]
    private static partial Regex TagPattern();
}
