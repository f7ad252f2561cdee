using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Usd1Reconciler.Reserves;
using Usd1Reconciler.Reserves.Feeds;
using Usd1Reconciler.Storage.Sqlite;

namespace Usd1Reconciler.Tests.Reserves;

/// <summary>
/// Hostile reserve documents, each through the real poller into a real SQLite store: each is refused with a reason
/// that names what was wrong, stored as a rejection, and the snapshot in force stays the last good one.
/// </summary>
public sealed class HostileFeedCatalogueTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 25, 12, 0, 0, TimeSpan.Zero);
    private string _directory = null!;
    private SqliteReconciliationStore _store = null!;
    private FakeTimeProvider _time = null!;

    private static string Json(string asOf = "2026-11-25T11:00:00Z", string amount = "\"1000.50\"", string currency = "USD", string assetClass = "cash", string id = "op-1", string extraAccount = "", string custodian = "\"Trust Co\"") =>
        $$"""{"custodian":{{custodian}},"asOf":"{{asOf}}","accounts":[{"id":"{{id}}","assetClass":"{{assetClass}}","currency":"{{currency}}","amount":{{amount}},"bank":"Bank A","daysToLiquidity":0}{{extraAccount}}]}""";

    [SetUp]
    public async Task SetUp()
    {
        _directory = Directory.CreateTempSubdirectory("usd1rec-feeds-").FullName;
        _store = new SqliteReconciliationStore(SqliteSupplyStore.Open(Path.Combine(_directory, "s.db"), TimeProvider.System));
        _time = new FakeTimeProvider(Now);
        await File.WriteAllTextAsync(Path.Combine(_directory, "feed.json"), Json(asOf: "2026-11-25T10:00:00Z"));
        await File.WriteAllTextAsync(Path.Combine(_directory, "feed.csv"), "custodian,as_of,account_id,asset_class,currency,amount,bank,days_to_liquidity\nTrust Co,2026-11-25T10:00:00Z,op-1,cash,USD,10.00,Bank A,0\n");
        await File.WriteAllTextAsync(Path.Combine(_directory, "por.json"), """{"totalReserve":"5000","timestamp":1764064800,"ripcord":false}""");
    }

    [TearDown]
    public void TearDown()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }

    private ReserveFeedPoller Poller(string file, ReserveFeedFormat format) =>
        new(new ReserveFeedSettings(Path.GetFileNameWithoutExtension(file) + "-" + format, format, null, Path.Combine(_directory, file), FeedAuthSettings.None, TimeSpan.FromSeconds(5), TimeSpan.FromMinutes(2), "Trust Co"),
            new FileReserveDocumentSource(new ReserveFeedSettings(file, format, null, Path.Combine(_directory, file), FeedAuthSettings.None, TimeSpan.FromSeconds(5), TimeSpan.FromMinutes(2), "Trust Co")),
            _store, _time, NullLogger.Instance);

    public static IEnumerable<TestCaseData> JsonCases()
    {
        yield return new TestCaseData("{{{ not json", "parse").SetName("Json_Garbled");
        yield return new TestCaseData("", "parse").SetName("Json_Empty");
        yield return new TestCaseData("[]", "parse").SetName("Json_ArrayInsteadOfObject");
        yield return new TestCaseData("null", "parse").SetName("Json_Null");
        yield return new TestCaseData(Json(custodian: "null"), "custodian").SetName("Json_CustodianNull");
        yield return new TestCaseData("""{"custodian":"Trust Co","accounts":[]}""", "asOf").SetName("Json_AsOfMissing");
        yield return new TestCaseData(Json(asOf: "yesterday"), "asOf").SetName("Json_AsOfNotATime");
        yield return new TestCaseData(Json(asOf: "2026-11-25T13:00:00Z"), "future").SetName("Json_AsOfInTheFuture");
        yield return new TestCaseData(Json(asOf: "2026-11-25T09:00:00Z"), "replay").SetName("Json_OlderThanSnapshotInForce");
        yield return new TestCaseData(Json(asOf: "2026-11-25T10:00:00Z", amount: "\"999\""), "replay").SetName("Json_SameAsOfOtherContent");
        yield return new TestCaseData(Json(amount: "\"-5\""), "negative").SetName("Json_NegativeAmount");
        yield return new TestCaseData(Json(amount: "-5"), "negative").SetName("Json_NegativeAmountAsNumber");
        yield return new TestCaseData(Json(amount: "\"1e6\""), "amount").SetName("Json_AmountWithExponent");
        yield return new TestCaseData(Json(amount: "\"1.0000000000000000001\""), "amount").SetName("Json_AmountBeyondScale");
        yield return new TestCaseData(Json(amount: "\"1,000\""), "amount").SetName("Json_AmountWithSeparator");
        yield return new TestCaseData(Json(amount: "\"" + new string('9', 70) + "\""), "amount").SetName("Json_AmountTooLong");
        yield return new TestCaseData(Json(amount: "{\"v\":1}"), "amount").SetName("Json_AmountNested");
        yield return new TestCaseData(Json(amount: "null"), "amount").SetName("Json_AmountNull");
        yield return new TestCaseData(Json(currency: "EUR"), "EUR").SetName("Json_NonUsdCurrency");
        yield return new TestCaseData(Json(assetClass: "crypto"), "crypto").SetName("Json_UnknownAssetClass");
        yield return new TestCaseData(Json(extraAccount: ",{\"id\":\"op-1\",\"assetClass\":\"cash\",\"currency\":\"USD\",\"amount\":\"1\",\"bank\":\"Bank A\",\"daysToLiquidity\":0}"), "appears more than once").SetName("Json_DuplicateAccount");
        yield return new TestCaseData("""{"custodian":"Trust Co","asOf":"2026-11-25T11:00:00Z","accounts":{"id":"op-1"}}""", "accounts").SetName("Json_AccountsNotAnArray");
        yield return new TestCaseData(Json(id: ""), "id").SetName("Json_EmptyAccountId");
    }

    [TestCaseSource(nameof(JsonCases))]
    public async Task Poll_HostileCustodianJson_RejectedWithReasonAndSnapshotInForceKept(string body, string reasonMentions)
    {
        var poller = Poller("feed.json", ReserveFeedFormat.CustodianJson);
        var good = await poller.PollAsync(CancellationToken.None);
        Assert.That(good.Status, Is.EqualTo(FeedPollStatus.Accepted), good.Reason);

        await File.WriteAllTextAsync(Path.Combine(_directory, "feed.json"), body);
        var outcome = await poller.PollAsync(CancellationToken.None);

        Assert.That(outcome.Status, Is.EqualTo(FeedPollStatus.Rejected), $"a hostile document must be refused, got {outcome.Status}");
        Assert.That(outcome.Reason, Does.Contain(reasonMentions).IgnoreCase, "the reason names what is wrong");
        Assert.That((await _store.GetLatestSnapshotAsync(poller.Feed, CancellationToken.None))!.Id, Is.EqualTo(good.SnapshotId), "the last good snapshot stays in force");
        Assert.That(await _store.GetRejectionsAsync(poller.Feed, 10, CancellationToken.None), Has.Count.EqualTo(1), "the rejection is stored, with its reason, for audit");
    }

    public static IEnumerable<TestCaseData> OtherFormatCases()
    {
        yield return new TestCaseData("feed.csv", ReserveFeedFormat.CustodianCsv, "custodian,as_of,account_id\nTrust Co,2026-11-25T11:00:00Z,op-1\n", "header lacks asset_class").SetName("Csv_MissingColumns");
        yield return new TestCaseData("feed.csv", ReserveFeedFormat.CustodianCsv, "custodian,as_of,account_id,asset_class,currency,amount,bank,days_to_liquidity\nTrust Co,2026-11-25T11:00:00Z,op-1,cash,USD,-3,Bank A,0\n", "negative").SetName("Csv_NegativeAmount");
        yield return new TestCaseData("feed.csv", ReserveFeedFormat.CustodianCsv, "custodian,as_of,account_id,asset_class,currency,amount,bank,days_to_liquidity\nTrust Co,2026-11-25T11:00:00Z,op-1,cash,USD,abc,Bank A,0\n", "amount").SetName("Csv_GarbledAmount");
        yield return new TestCaseData("feed.csv", ReserveFeedFormat.CustodianCsv, "", "").SetName("Csv_Empty");
        yield return new TestCaseData("por.json", ReserveFeedFormat.ProofOfReserve, """{"totalReserve":"6000","timestamp":1764068400,"ripcord":true}""", "ripcord").SetName("Por_Ripcord");
        yield return new TestCaseData("por.json", ReserveFeedFormat.ProofOfReserve, """{"totalReserve":"-1","timestamp":1764068400,"ripcord":false}""", "negative").SetName("Por_NegativeTotal");
        yield return new TestCaseData("por.json", ReserveFeedFormat.ProofOfReserve, """{"totalReserve":"6000","ripcord":false}""", "timestamp").SetName("Por_TimestampMissing");
        yield return new TestCaseData("por.json", ReserveFeedFormat.ProofOfReserve, """{"totalReserve":"6000","timestamp":"soon","ripcord":false}""", "timestamp").SetName("Por_TimestampGarbled");
    }

    [TestCaseSource(nameof(OtherFormatCases))]
    public async Task Poll_HostileCsvOrProofOfReserve_RejectedAndSnapshotInForceKept(string file, ReserveFeedFormat format, string body, string reasonMentions)
    {
        var poller = Poller(file, format);
        var good = await poller.PollAsync(CancellationToken.None);
        Assert.That(good.Status, Is.EqualTo(FeedPollStatus.Accepted), good.Reason);

        await File.WriteAllTextAsync(Path.Combine(_directory, file), body);
        var outcome = await poller.PollAsync(CancellationToken.None);

        Assert.That(outcome.Status, Is.EqualTo(FeedPollStatus.Rejected), $"got {outcome.Status}: {outcome.Reason}");
        Assert.That(outcome.Reason, Does.Contain(reasonMentions).IgnoreCase);
        Assert.That((await _store.GetLatestSnapshotAsync(poller.Feed, CancellationToken.None))!.Id, Is.EqualTo(good.SnapshotId));
    }
}
