using System.Text.RegularExpressions;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Time.Testing;
using Usd1Reconciler.Core.Amounts;
using Usd1Reconciler.Core.Ingest;
using Usd1Reconciler.Core.Networks;
using Usd1Reconciler.Core.Reconciliation;
using Usd1Reconciler.Core.Reserves;
using Usd1Reconciler.Core.Supply;
using Usd1Reconciler.Storage.Sqlite;
using Usd1Reconciler.Web;

namespace Usd1Reconciler.Tests.Host.Web;

/// <summary>The whole status page rendered from a real SQLite store in a temp file (no network).</summary>
public sealed partial class StatusPageTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 1, 10, 0, 0, TimeSpan.Zero);
    private static readonly ReconciliationPolicy Policy = new(10_000, 2, 2_000, 10_000);
    private string _directory = null!;

    [SetUp]
    public void SetUp() => _directory = Directory.CreateTempSubdirectory("usd1rec-status-").FullName;

    [TearDown]
    public void TearDown()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }

    [Test]
    public async Task Render_Covered_FiguresInPeopleUnitsNetworksInConfiguredOrderStaleNetworkMarked()
    {
        var (page, reports) = await CreateAsync();
        await AppendAsync(reports, Covered(Now.AddMinutes(-1)));

        var html = await page.RenderAsync(CancellationToken.None);
        var figures = Figures(html);

        Assert.Multiple(() =>
        {
            Assert.That(html, Does.Contain("id=\"verdict\">COVERED<"));
            Assert.That(figures["coverage"], Is.EqualTo("125.00 %"), "3,750,000.000001 USD for 3,000,000 tokens, floor to bps");
            Assert.That(figures["minimum-coverage"], Is.EqualTo("100.00 %"));
            Assert.That(figures["circulating"], Is.EqualTo("3,000,000.00 USD"));
            Assert.That(figures["reserves"], Is.EqualTo("3,750,000.000001 USD"), "the sub-cent digit of the feed is shown, not rounded away");
            Assert.That(figures["asset-class:tbills"], Is.EqualTo("2,000,000.000001 USD"));
            Assert.That(figures["custodian:Trust B"], Is.EqualTo("750,000.00 USD"));
            Assert.That(figures["liquid"], Is.EqualTo("1,750,000.00 USD"), "cash (T+0) and the MMF (T+1) are liquid within 2 days, the T-bills (T+5) are not");
            Assert.That(figures["liquidity-required"], Is.EqualTo("600,000.00 USD"), "20 % of 3,000,000");
            Assert.That(figures["indexed:eth"], Is.EqualTo("3,000,000 USD1"));
            Assert.That(figures["onchain:eth"], Is.EqualTo("3,000,000 USD1"));
            Assert.That(figures["indexed:base"], Does.StartWith("0.000000000000000001 USD1"), "18 decimals, one base unit");
            Assert.That(figures["onchain:base"], Is.EqualTo("–"), "no ledger proof: no on-chain figure");
            Assert.That(figures["supply-24h:latest"], Is.EqualTo("3,000,000 USD1"));
            Assert.That(figures["coverage-7d:latest"], Is.EqualTo("125.00 %"));
            Assert.That(html.IndexOf("data-network=\"eth\"", StringComparison.Ordinal), Is.LessThan(html.IndexOf("data-network=\"base\"", StringComparison.Ordinal)),
                "configuration order (eth, base), not the store's registration order (base first)");
            Assert.That(html, Does.Contain("<tr data-network=\"base\" class=\"stale\">"), "base has no ledger proof: its row is marked");
            Assert.That(figures["gov-proof:eth"], Is.EqualTo("NOT PROVEN YET"), "the store keeps governance but holds no proof yet: said, not left blank");
            Assert.That(figures["gov-policy:base"], Is.EqualTo("no policy configured"));
            Assert.That(html, Does.Not.Contain("<tr data-network=\"eth\" class=\"stale\">"));
            Assert.That(html, Does.Not.Contain("<script"), "no script at all");
            Assert.That(html, Does.Not.Contain("http://").And.Not.Contain("https://"), "nothing is fetched from elsewhere");
        });
    }

    [Test]
    public async Task Render_InconclusiveAfterCovered_NoFigureLastConclusiveAndCompositionMarkedStale()
    {
        var (page, reports) = await CreateAsync();
        var covered = await AppendAsync(reports, Covered(Now.AddHours(-2)));
        var last = ReportCanonicalForm.ReadFigures(covered).Conclusive!;
        await AppendAsync(reports, Evaluate(Now.AddMinutes(-1), Feed("bank-a", "Bank A", Now.AddDays(-3), Cash("1000000", 0)), last, Now.AddHours(-1)));

        var html = await page.RenderAsync(CancellationToken.None);
        var figures = Figures(html);

        Assert.Multiple(() =>
        {
            Assert.That(html, Does.Contain("id=\"verdict\">INCONCLUSIVE<"));
            Assert.That(html, Does.Contain("<span id=\"circulating\">–</span>").And.Contain("<span id=\"coverage\">–</span>"), "no figure from a stale input");
            Assert.That(figures["last-circulating"], Is.EqualTo("3,000,000.00 USD"));
            Assert.That(figures["last-coverage"], Does.StartWith("125.00 %"));
            Assert.That(html, Does.Contain("id=\"last-conclusive\" class=\"stale\""));
            Assert.That(figures["reserves-total"], Is.EqualTo("3,750,000.000001 USD"), "the composition of the last conclusive report");
            Assert.That(html, Does.Contain("from the last conclusive report #1"), "and it says where the figures come from");
            Assert.That(html, Does.Contain("<p class=\"total stale\">"));
            Assert.That(html, Does.Contain("id=\"failing-inputs\""));
            Assert.That(html, Does.Contain("data-label=\"age\" class=\"stale\">3 d <span class=\"stale-badge\">STALE</span>"), "the feed three days old against a budget of 1 h");
            Assert.That(html, Does.Contain("data-reports=\"2\" data-inconclusive=\"1\""), "the 24 h chart holds both reports, one of them a gap");
        });
    }

    private async Task<(StatusPage Page, SqliteReconciliationStore Reports)> CreateAsync()
    {
        var time = new FakeTimeProvider(Now);
        var store = SqliteSupplyStore.Open(Path.Combine(_directory, "store.db"), time);
        var base1 = await store.RegisterNetworkAsync(new NetworkRegistration("base", NetworkKind.Evm, 8453, "0xtoken"), CancellationToken.None);
        var eth = await store.RegisterNetworkAsync(new NetworkRegistration("eth", NetworkKind.Evm, 1, "0xtoken"), CancellationToken.None);
        await MintFinalAsync(store, eth, 3_000_000_000_000);
        await MintFinalAsync(store, base1, 1);
        await store.RecordTokenIdentityAsync("eth", new TokenIdentity(6, "USD1"), Now, CancellationToken.None);
        await store.RecordTokenIdentityAsync("base", new TokenIdentity(18, "USD1"), Now, CancellationToken.None);
        await store.RecordLedgerProofAsync(new LedgerProofReading(eth, 1, new TokenAmount(3_000_000_000_000), 3_000_000_000_000, Now.AddSeconds(-20)), CancellationToken.None);
        var reports = new SqliteReconciliationStore(store);
        var settings = new StatusPageSettings(
            [new StatusPageNetwork("eth", TimeSpan.FromMinutes(5), "https://explorer.example/tx/{tx}"), new StatusPageNetwork("base", TimeSpan.FromMinutes(5), null)],
            "runbooks/",
            "USD1");
        return (new StatusPage(store, new SqliteAnomalyStore(store), reports, store, settings, time), reports);
    }

    private static async Task MintFinalAsync(SqliteSupplyStore store, long id, long amount)
    {
        var mint = new SupplyEvent(SupplyEventKind.Mint, 1, "0xh1", "0xtx" + id, 0, SupplyEvent.TopLevel, "0xminter", "0xholder", new TokenAmount(amount), Now);
        await store.CommitBatchAsync(new IndexedBatch(id, [mint], [new BlockHeader(1, "0xh1", "0xh0", Now)], new ChainTip(1, "0xh1"), Now), CancellationToken.None);
        await store.FinalizeAsync(id, 1, Now, CancellationToken.None);
    }

    private static ReconciliationReport Covered(DateTimeOffset at) => Evaluate(
        at,
        Feed("bank-a", "Bank A", at, Cash("1000000", 0), new ReserveAccount("b", AssetClass.TreasuryBills, "USD", UsdAmount.Parse("2000000.000001"), "Bank A", 5)),
        null,
        null,
        Feed("trust-b", "Trust B", at, new ReserveAccount("c", AssetClass.MoneyMarketFund, "USD", UsdAmount.Parse("750000"), "Trust B", 1)));

    private static ReconciliationReport Evaluate(DateTimeOffset at, FeedInput feed, ConclusiveResult? last, DateTimeOffset? since, FeedInput? second = null) =>
        Reconciler.Evaluate(new ReconciliationInput(
            "scheduled", at,
            [new NetworkCirculation("eth", NetworkKind.Evm, 1, 6, new TokenAmount(3_000_000_000_000), LedgerProofStatus.Ok, [], null, null)],
            second is null ? [feed] : [feed, second], Policy, last, since));

    private static FeedInput Feed(string name, string custodian, DateTimeOffset asOf, params ReserveAccount[] accounts) =>
        new(name, new ReserveSnapshot(1, name, custodian, asOf, accounts, "att", "ab", null, asOf), TimeSpan.FromHours(1), null);

    private static ReserveAccount Cash(string amount, int days) => new("a", AssetClass.Cash, "USD", UsdAmount.Parse(amount), "Bank A", days);

    private static async Task<StoredReport> AppendAsync(SqliteReconciliationStore reports, ReconciliationReport report)
    {
        var canonical = ReportCanonicalForm.Write(report, report.EvaluatedAt);
        return await reports.AppendReportAsync("scheduled", report.EvaluatedAt, report.EvaluatedAt, ReportCanonicalForm.VerdictText(report.Verdict),
            report.Shortfall?.ToString() ?? "", canonical, CancellationToken.None);
    }

    /// <summary>Every data-figure on the page with its text (tags inside a cell stripped, entities decoded).</summary>
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
