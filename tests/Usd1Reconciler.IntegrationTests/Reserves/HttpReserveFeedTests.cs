using System.Security.Cryptography;
using System.Text;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using Org.BouncyCastle.Crypto.Generators;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Crypto.Signers;
using Org.BouncyCastle.Security;
using Usd1Reconciler.IntegrationTests.Fixtures;
using Usd1Reconciler.Reserves;
using Usd1Reconciler.Reserves.Feeds;
using Usd1Reconciler.Storage.Sqlite;

namespace Usd1Reconciler.IntegrationTests.Reserves;

/// <summary>The HTTP feed against a real Kestrel custodian on loopback: every document either becomes the snapshot in force or a stored rejection.</summary>
[TestFixture]
[Category("Integration")]
public sealed class HttpReserveFeedTests
{
    private static readonly byte[] HmacSecret = Encoding.UTF8.GetBytes("shared-secret-of-the-custodian");
    private TempDirectory _directory = null!;
    private SqliteReconciliationStore _store = null!;
    private CustodianServer _server = null!;
    private HttpClient _http = null!;

    [SetUp]
    public async Task SetUp()
    {
        _directory = new TempDirectory("feeds");
        _store = new SqliteReconciliationStore(SqliteSupplyStore.Open(_directory.File("store.db"), TimeProvider.System));
        _server = await CustodianServer.StartAsync();
        _http = new HttpClient();
    }

    [TearDown]
    public async Task TearDown()
    {
        _http.Dispose();
        await _server.DisposeAsync();
        SqliteConnection.ClearAllPools();
        _directory.Dispose();
    }

    private static string Snapshot(DateTimeOffset asOf, string amount = "1000000.00") =>
        $$"""{"custodian":"Trust Co","asOf":"{{asOf:yyyy-MM-ddTHH:mm:ssZ}}","attestation":"att-{{asOf:yyyyMMdd}}","accounts":[{"id":"op-1","assetClass":"cash","currency":"USD","amount":"{{amount}}","bank":"Bank A","daysToLiquidity":0}]}""";

    private static Dictionary<string, string> Hmac(string body, byte[]? secret = null) =>
        new() { [ReserveFeedHeaders.HmacSha256] = "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(secret ?? HmacSecret, Encoding.UTF8.GetBytes(body))) };

    private ReserveFeedPoller Poller(FeedAuthSettings auth, ReserveFeedFormat format = ReserveFeedFormat.CustodianJson, string name = "custodian")
    {
        var settings = new ReserveFeedSettings(name, format, _server.Url, null, auth, TimeSpan.FromSeconds(10), TimeSpan.FromMinutes(2), "PoR Co");
        return new ReserveFeedPoller(settings, new HttpReserveDocumentSource(settings, _http, TimeProvider.System), _store, TimeProvider.System, NullLogger.Instance);
    }

    [Test]
    public async Task Poll_HmacSignedThenTamperedThenReplayedThenGarbage_OnlyTheGoodOneInForceEveryOtherStoredWithReason()
    {
        var poller = Poller(new FeedAuthSettings(FeedAuthKind.Hmac, HmacSecret, null));
        var now = TimeProvider.System.GetUtcNow();
        var good = Snapshot(now.AddMinutes(-5));
        _server.Serve(good, Hmac(good));
        var accepted = await poller.PollAsync(CancellationToken.None);
        Assert.That(accepted.Status, Is.EqualTo(FeedPollStatus.Accepted), accepted.Reason);

        var again = await poller.PollAsync(CancellationToken.None);
        Assert.That(again.Status, Is.EqualTo(FeedPollStatus.Unchanged), "the same signed document polled again is not news");

        var tampered = Snapshot(now.AddMinutes(-1), "9000000.00");
        _server.Serve(tampered, Hmac(Snapshot(now.AddMinutes(-1))));
        var wrongKey = Snapshot(now.AddMinutes(-1));
        var replay = Snapshot(now.AddHours(-3));
        var garbage = "{\"custodian\": oops";
        var outcomes = new List<FeedPollOutcome> { await poller.PollAsync(CancellationToken.None) };
        _server.Serve(wrongKey, Hmac(wrongKey, Encoding.UTF8.GetBytes("another secret")));
        outcomes.Add(await poller.PollAsync(CancellationToken.None));
        _server.Serve(replay, Hmac(replay));
        outcomes.Add(await poller.PollAsync(CancellationToken.None));
        _server.Serve(garbage, Hmac(garbage));
        outcomes.Add(await poller.PollAsync(CancellationToken.None));
        _server.Serve(good);
        outcomes.Add(await poller.PollAsync(CancellationToken.None));

        Assert.That(outcomes.Select(o => o.Status), Is.All.EqualTo(FeedPollStatus.Rejected));
        Assert.That(outcomes.Select(o => o.Reason), Is.EqualTo(new[]
        {
            "signature: HMAC-SHA256 does not match the body (tampered, or signed with another secret)",
            "signature: HMAC-SHA256 does not match the body (tampered, or signed with another secret)",
            outcomes[2].Reason,
            outcomes[3].Reason,
            "signature: the document carries no HMAC-SHA256 signature",
        }));
        Assert.Multiple(() =>
        {
            Assert.That(outcomes[2].Reason, Does.StartWith("replay:").And.Contain("older than snapshot"));
            Assert.That(outcomes[3].Reason, Does.StartWith("parse: not JSON"));
            Assert.That(outcomes.Select(o => o.SnapshotId), Is.All.EqualTo(accepted.SnapshotId), "the last good snapshot stays in force through every rejection");
        });

        var inForce = await _store.GetLatestSnapshotAsync("custodian", CancellationToken.None);
        var rejections = await _store.GetRejectionsAsync("custodian", 10, CancellationToken.None);
        Assert.Multiple(() =>
        {
            Assert.That(inForce!.Total.ToString(), Is.EqualTo("1000000"), "the tampered 9,000,000 never reached the store as reserves");
            Assert.That(inForce.Signature, Does.StartWith("sha256="), "the verified signature is kept as provenance");
            Assert.That(rejections.Select(r => Encoding.UTF8.GetString(r.Body)), Is.EqualTo(new[] { good, garbage, replay, wrongKey, tampered }),
                "nothing lost: every refused document is kept byte for byte, newest first");
        });
    }

    [Test]
    public async Task Poll_Ed25519SignedGood_AcceptedWrongKeyRejected()
    {
        var (privateKey, publicKey) = NewKeyPair();
        var (otherPrivate, _) = NewKeyPair();
        var poller = Poller(new FeedAuthSettings(FeedAuthKind.Ed25519, null, publicKey.GetEncoded()));
        var now = TimeProvider.System.GetUtcNow();

        var good = Snapshot(now.AddMinutes(-10));
        _server.Serve(good, new Dictionary<string, string> { [ReserveFeedHeaders.Ed25519] = Sign(privateKey, good) });
        var accepted = await poller.PollAsync(CancellationToken.None);

        var forged = Snapshot(now.AddMinutes(-1), "5");
        _server.Serve(forged, new Dictionary<string, string> { [ReserveFeedHeaders.Ed25519] = Sign(otherPrivate, forged) });
        var rejected = await poller.PollAsync(CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(accepted.Status, Is.EqualTo(FeedPollStatus.Accepted), accepted.Reason);
            Assert.That(rejected.Status, Is.EqualTo(FeedPollStatus.Rejected));
            Assert.That(rejected.Reason, Does.Contain("Ed25519 signature does not verify under the configured public key"));
            Assert.That(rejected.SnapshotId, Is.EqualTo(accepted.SnapshotId));
        });
    }

    [Test]
    public async Task Poll_ProofOfReserveRipcord_RejectedAndPreviousFigureStays()
    {
        var poller = Poller(FeedAuthSettings.None, ReserveFeedFormat.ProofOfReserve, "por");
        var now = TimeProvider.System.GetUtcNow().ToUnixTimeSeconds();
        _server.Serve($$"""{"totalReserve":"2500000.75","timestamp":{{now - 60}},"ripcord":false}""");
        var accepted = await poller.PollAsync(CancellationToken.None);
        _server.Serve($$"""{"totalReserve":"99999999","timestamp":{{now}},"ripcord":true}""");
        var ripcord = await poller.PollAsync(CancellationToken.None);

        var inForce = await _store.GetLatestSnapshotAsync("por", CancellationToken.None);
        Assert.Multiple(() =>
        {
            Assert.That(accepted.Status, Is.EqualTo(FeedPollStatus.Accepted), accepted.Reason);
            Assert.That(ripcord.Status, Is.EqualTo(FeedPollStatus.Rejected));
            Assert.That(ripcord.Reason, Does.StartWith("ripcord:"));
            Assert.That(inForce!.Total.ToString(), Is.EqualTo("2500000.75"));
            Assert.That(inForce.Custodian, Is.EqualTo("PoR Co"));
        });
    }

    [Test]
    public async Task Poll_BearerRequired_TokenSentWithoutItNothingIsFetched()
    {
        _server.RequiredBearer = "t0ken";
        var body = Snapshot(TimeProvider.System.GetUtcNow().AddMinutes(-1));
        _server.Serve(body);

        var withToken = await Poller(new FeedAuthSettings(FeedAuthKind.Bearer, Encoding.UTF8.GetBytes("t0ken"), null)).PollAsync(CancellationToken.None);
        var wrongToken = await Poller(new FeedAuthSettings(FeedAuthKind.Bearer, Encoding.UTF8.GetBytes("guess"), null), name: "other").PollAsync(CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(withToken.Status, Is.EqualTo(FeedPollStatus.Accepted), withToken.Reason);
            Assert.That(wrongToken.Status, Is.EqualTo(FeedPollStatus.FetchFailed), "a refused request delivers no document to judge");
            Assert.That(wrongToken.Reason, Does.Contain("HTTP 401"));
        });
    }

    private static (Ed25519PrivateKeyParameters Private, Ed25519PublicKeyParameters Public) NewKeyPair()
    {
        var generator = new Ed25519KeyPairGenerator();
        generator.Init(new Ed25519KeyGenerationParameters(new SecureRandom()));
        var pair = generator.GenerateKeyPair();
        return ((Ed25519PrivateKeyParameters)pair.Private, (Ed25519PublicKeyParameters)pair.Public);
    }

    private static string Sign(Ed25519PrivateKeyParameters key, string body)
    {
        var signer = new Ed25519Signer();
        signer.Init(true, key);
        var bytes = Encoding.UTF8.GetBytes(body);
        signer.BlockUpdate(bytes, 0, bytes.Length);
        return Convert.ToBase64String(signer.GenerateSignature());
    }
}
