using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Usd1Reconciler.Configuration;
using Usd1Reconciler.Core.Ingest;
using Usd1Reconciler.Core.Networks;
using Usd1Reconciler.Core.Supply;
using Usd1Reconciler.Indexing;
using Usd1Reconciler.JsonRpc;
using Usd1Reconciler.Metrics;
using Usd1Reconciler.Solana.Rpc;
using Usd1Reconciler.Storage;
using Usd1Reconciler.Storage.Sqlite;
using static Usd1Reconciler.Tests.Solana.RecordedReplies;

namespace Usd1Reconciler.Tests.Host.Metrics;

/// <summary>
/// Issue 18: a Solana transaction in a version the decoder does not know must page, naming the signature. The chain
/// under test is the daemon's own: the recorded -32015 reply fails the pass through <see cref="SolanaRpcClient"/>, the
/// one pass policy (<see cref="IndexPassRunner"/>) stores the failure, and the store-driven refresher exports the
/// series the page rule Usd1TransactionVersionUnsupported fires on (its promtool test is in usd1rec.rules.test.yml).
/// </summary>
public sealed class UnsupportedTransactionPageTests
{
    private static readonly DateTimeOffset At = new(2026, 12, 1, 10, 0, 0, TimeSpan.Zero);
    private string _directory = null!;

    [SetUp]
    public void SetUp() => _directory = Directory.CreateTempSubdirectory("usd1rec-unsupported-").FullName;

    [TearDown]
    public void TearDown()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }

    [Test]
    public async Task Refresh_PassFailedOnRecordedUnknownVersionReply_ExportsThePagedSeriesNamingTheSignature()
    {
        var (runner, refresher, metrics, _) = await CreateAsync();
        var indexer = new RecordedReplyIndexer("solana", Text("unsupported-version-error"));

        var outcome = await runner.RunAsync(indexer, CancellationToken.None);
        await refresher.RefreshAsync(CancellationToken.None);

        var text = await metrics.ExportAsync(CancellationToken.None);
        Assert.Multiple(() =>
        {
            Assert.That(outcome.Failure, Is.InstanceOf<UnsupportedTransactionVersionException>(), "precondition: the recorded reply fails the pass as an unknown version");
            Assert.That(text, Does.Contain($"usd1_network_unsupported_transaction_info{{network=\"solana\",signature=\"{MintV1Signature}\",version=\"2\"}} 1"),
                "the series Usd1TransactionVersionUnsupported pages on, with the signature the operator must look up");
            Assert.That(text, Does.Contain("usd1_network_stale{network=\"solana\"} 1"), "and the network is stale as before");
        });
    }

    [Test]
    public async Task Refresh_PassesResumeAfterTheUnknownVersion_SeriesRemoved()
    {
        var (runner, refresher, metrics, _) = await CreateAsync();
        var indexer = new RecordedReplyIndexer("solana", Text("unsupported-version-error"));
        await runner.RunAsync(indexer, CancellationToken.None);
        await refresher.RefreshAsync(CancellationToken.None);

        indexer.Reply = null;
        var outcome = await runner.RunAsync(indexer, CancellationToken.None);
        await refresher.RefreshAsync(CancellationToken.None);

        var text = await metrics.ExportAsync(CancellationToken.None);
        Assert.That(outcome.Failure, Is.Null, "precondition: the second pass succeeded");
        Assert.That(text, Does.Not.Contain("usd1_network_unsupported_transaction_info{"), "an upgraded build got past the signature: the page resolves");
    }

    [Test]
    public async Task Refresh_PassFailedForAnotherReason_NoUnsupportedTransactionSeries()
    {
        var (runner, refresher, metrics, _) = await CreateAsync();
        var indexer = new RecordedReplyIndexer("solana", Text("unsupported-version-error").Replace("-32015", "-32004", StringComparison.Ordinal).Replace("Transaction version (2) is not supported", "Block not available for slot 7", StringComparison.Ordinal));

        var outcome = await runner.RunAsync(indexer, CancellationToken.None);
        await refresher.RefreshAsync(CancellationToken.None);

        var text = await metrics.ExportAsync(CancellationToken.None);
        Assert.That(outcome.Failure, Is.Not.Null.And.Not.InstanceOf<UnsupportedTransactionVersionException>(), "precondition: the pass failed otherwise");
        Assert.That(text, Does.Not.Contain("usd1_network_unsupported_transaction_info{"), "any other failure is the stale ticket, not this page");
    }

    [TestCase(null, false, TestName = "TryRead_NoReason_False")]
    [TestCase("endpoint down", false, TestName = "TryRead_OtherReason_False")]
    [TestCase("transaction 0xabc is version 2, which this usd1rec cannot decode", false, TestName = "TryRead_NotABase58Signature_False")]
    public void TryRead_Reasons(string? reason, bool expected) =>
        Assert.That(UnsupportedTransactionVersionException.TryRead(reason, out _, out _), Is.EqualTo(expected));

    [Test]
    public void TryRead_OwnMessage_SignatureAndVersionBack()
    {
        var message = new UnsupportedTransactionVersionException(MintV1Signature, "7").Message;

        Assert.That(UnsupportedTransactionVersionException.TryRead(message, out var signature, out var version), Is.True);
        Assert.That((signature, version), Is.EqualTo((MintV1Signature, "7")));
    }

    private async Task<(IndexPassRunner Runner, StoreMetricsRefresher Refresher, ReconcilerMetrics Metrics, SqliteSupplyStore Store)> CreateAsync()
    {
        var time = new FakeTimeProvider(At);
        var store = SqliteSupplyStore.Open(Path.Combine(_directory, "store.db"), time);
        await store.RegisterNetworkAsync(new NetworkRegistration("solana", NetworkKind.Solana, null, "mint"), CancellationToken.None);
        using var http = new HttpClient();
        var paging = new AnomalyPaging(TimeSpan.FromMinutes(5), TimeSpan.FromHours(1));
        var tokens = new TokenIdentityGuard(Array.Empty<NetworkOptions>(), store, new SqliteAnomalyStore(store), paging, TimeSpan.FromMinutes(5), http, time, NullLoggerFactory.Instance);
        var refusedReorgs = new RefusedReorgAlarm(new SqliteAnomalyStore(store), paging, TimeSpan.FromMinutes(5), time, NullLogger.Instance);
        var runner = new IndexPassRunner(store, tokens, refusedReorgs, time, NullLogger.Instance);
        var metrics = new ReconcilerMetrics(Prometheus.Metrics.NewCustomRegistry());
        var refresher = new StoreMetricsRefresher(store, new SqliteAnomalyStore(store), metrics, new Dictionary<string, TimeSpan> { ["solana"] = TimeSpan.FromMinutes(5) }, time);
        return (runner, refresher, metrics, store);
    }

    /// <summary>A pass that reads the mint's transaction through the real client from a recorded reply; no reply: the pass succeeds.</summary>
    private sealed class RecordedReplyIndexer(string network, string? reply) : INetworkIndexer
    {
        public string Network { get; } = network;

        public string? Reply { get; set; } = reply;

        public async Task<IndexPassResult> RunPassAsync(CancellationToken cancellationToken)
        {
            if (Reply is { } recorded)
            {
                using var http = new HttpClient(new OneReplyHandler(recorded));
                var client = new SolanaRpcClient(new JsonRpcClient(http, Network, [new Uri("http://node.test:8899/")], TimeSpan.FromSeconds(5), NullLogger.Instance, RpcResilienceOptions.NoRetry));
                await client.getTransaction(MintV1Signature, SolanaCommitment.Confirmed, cancellationToken);
            }

            return new IndexPassResult(Network, 10, 10, 0, 0, LedgerProofStatus.Ok);
        }
    }

    /// <summary>Answers with the recorded reply, its id set to the request's so the envelope check passes.</summary>
    private sealed class OneReplyHandler(string reply) : HttpMessageHandler
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            using var sent = JsonDocument.Parse(await request.Content!.ReadAsStringAsync(cancellationToken));
            var id = sent.RootElement.GetProperty("id").GetInt64();
            var body = reply.Replace("\"id\": 1", $"\"id\": {id}", StringComparison.Ordinal);
            return new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        }
    }
}
