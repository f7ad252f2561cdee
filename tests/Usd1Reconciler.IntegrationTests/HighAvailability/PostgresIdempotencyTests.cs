using Npgsql;
using Usd1Reconciler.Core.Amounts;
using Usd1Reconciler.Core.Anomalies;
using Usd1Reconciler.Core.Reconciliation;
using Usd1Reconciler.Core.Supply;
using Usd1Reconciler.IntegrationTests.Fixtures;
using Usd1Reconciler.Storage;
using Usd1Reconciler.Storage.Postgres;

namespace Usd1Reconciler.IntegrationTests.HighAvailability;

/// <summary>
/// Issue 14.5 on a real PostgreSQL 15, with two store instances as two `usd1rec run` processes have them: a scheduled
/// firing stores one report however many run it, the chain stays linked, and each outbox entry is claimed by one.
/// </summary>
[TestFixture]
[Category("Integration")]
[NonParallelizable]
public sealed class PostgresIdempotencyTests
{
    private static readonly DateTimeOffset Firing = new(2026, 12, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly AnomalyPaging Paging = new(TimeSpan.FromMinutes(10), TimeSpan.FromHours(24));
    private PostgresServer _server = null!;
    private int _databases;

    [OneTimeSetUp]
    public async Task StartServer() => _server = await PostgresServer.StartAsync();

    [OneTimeTearDown]
    public async Task StopServer() => await _server.DisposeAsync();

    [Test]
    public async Task AppendScheduledReport_TwoInstancesRunOneFiringAtOnce_OneReportAndTheChainVerifies()
    {
        var settings = await NewStoreAsync();
        await using var storeA = PostgresSupplyStore.Open(settings, TimeProvider.System);
        await using var storeB = PostgresSupplyStore.Open(settings, TimeProvider.System);
        var a = new PostgresReconciliationStore(storeA);
        var b = new PostgresReconciliationStore(storeB);
        await a.AppendReportAsync("once", Firing, Firing, "covered", "0", Canonical("once", Firing), CancellationToken.None);

        // Eight runs of two firings (the minute and the end of day at the same instant), interleaved over both stores.
        var runs = await Task.WhenAll(Enumerable.Range(0, 8).Select(i => Task.Run(() =>
        {
            var kind = i % 4 < 2 ? "scheduled" : "end_of_day";
            var createdAt = Firing.AddMilliseconds(10 * i);
            return (i % 2 == 0 ? a : b).AppendScheduledReportAsync(kind, Firing, createdAt, createdAt, "covered", "0", Canonical(kind, createdAt), CancellationToken.None);
        })));
        var (reports, anchor) = await b.GetChainAsync(CancellationToken.None);

        Assert.Multiple(async () =>
        {
            Assert.That(runs.Count(r => r.Appended), Is.EqualTo(2), "one report per firing: scheduled and end_of_day");
            Assert.That(reports, Has.Count.EqualTo(3));
            Assert.That(reports.Select(r => r.Id), Is.EqualTo(new long[] { 1, 2, 3 }), "ids stay 1, 2, 3 with appends serialized across instances");
            Assert.That(ReportChain.Verify(reports, anchor), Is.Empty, "the chain links across both instances' appends");
            Assert.That((await a.GetScheduledReportAsync("end_of_day", Firing, CancellationToken.None))?.Kind, Is.EqualTo("end_of_day"));
            Assert.That(await a.GetScheduledReportAsync("scheduled", Firing.AddMinutes(1), CancellationToken.None), Is.Null);
        });
    }

    [Test]
    public async Task ClaimDueAlerts_TwoInstancesClaimAtOnce_EachEntryClaimedOnceAndBackAfterTheClaimRunsOut()
    {
        var settings = await NewStoreAsync();
        await using var storeA = PostgresSupplyStore.Open(settings, TimeProvider.System);
        await using var storeB = PostgresSupplyStore.Open(settings, TimeProvider.System);
        var a = new PostgresAnomalyStore(storeA);
        var b = new PostgresAnomalyStore(storeB);
        var now = TimeProvider.System.GetUtcNow();
        foreach (var network in new[] { "ethereum", "base", "solana", "arbitrum", "optimism", "polygon" })
        {
            var mismatch = SupplyAnomalyDetector.LedgerMismatch(network, new LedgerProofReading(1, 10, new TokenAmount(5), 4, now));
            Assert.That(await a.RaiseConditionAsync(mismatch, TimeSpan.FromMinutes(5), Paging, now, CancellationToken.None), Is.Not.Null);
        }

        var claims = await Task.WhenAll(Enumerable.Range(0, 6).Select(i => Task.Run(() =>
            (i % 2 == 0 ? a : b).ClaimDueAlertsAsync(now.AddSeconds(1), 2, TimeSpan.FromMinutes(2), CancellationToken.None))));
        var claimed = claims.SelectMany(c => c.Select(p => p.OutboxId)).ToList();

        Assert.Multiple(() =>
        {
            Assert.That(claimed, Is.Unique, "no entry is handed to two deliverers");
            Assert.That(claimed, Has.Count.EqualTo(6), "every due entry was claimed by someone");
        });

        // The claimer of the first two "dies" (never marks them); the others are delivered. Only the dead claimer's
        // entries come back, and only once its claim has run out (moved into the past rather than waited for: the
        // claim's length is what the database compares, and a busy machine must not make a live claim look expired).
        var dead = claims.First(c => c.Count > 0).Select(p => p.OutboxId).ToList();
        await b.MarkDeliveredAsync(claimed.Except(dead).ToList(), now, CancellationToken.None);
        var beforeExpiry = await b.ClaimDueAlertsAsync(now.AddSeconds(1), 10, TimeSpan.FromSeconds(30), CancellationToken.None);
        await ExpireClaimsAsync(settings, dead);
        var afterExpiry = await b.ClaimDueAlertsAsync(now.AddSeconds(1), 10, TimeSpan.FromSeconds(30), CancellationToken.None);

        Assert.Multiple(async () =>
        {
            Assert.That(beforeExpiry, Is.Empty, "a live claim is nobody else's to send");
            Assert.That(afterExpiry.Select(p => p.OutboxId), Is.EquivalentTo(dead), "a dead claimer's entries come back once");
            Assert.That(await a.CountPendingAlertsAsync(CancellationToken.None), Is.EqualTo(dead.Count));
            Assert.That(await a.GetDueAlertsAsync(now.AddSeconds(1), 10, CancellationToken.None), Has.Count.EqualTo(dead.Count), "reading due entries claims nothing");
        });
    }

    /// <summary>Two minutes pass for the claims of <paramref name="ids"/>: their expiry is set into the past, in database time.</summary>
    private static async Task ExpireClaimsAsync(PostgresStorageSettings settings, List<long> ids)
    {
        await using var connection = new NpgsqlConnection(settings.ConnectionString);
        await connection.OpenAsync();
        await using var expire = new NpgsqlCommand("UPDATE alert_outbox SET claim_expires_at = clock_timestamp() - interval '1 second' WHERE id = ANY(@ids)", connection);
        expire.Parameters.AddWithValue("ids", ids.ToArray());
        Assert.That(await expire.ExecuteNonQueryAsync(), Is.EqualTo(ids.Count), "the dead claimer's entries are still claimed");
    }

    private static string Canonical(string kind, DateTimeOffset createdAt) =>
        $$"""{"format":1,"kind":"{{kind}}","createdAt":"{{ReportCanonicalForm.Time(createdAt)}}","evaluatedAt":"{{ReportCanonicalForm.Time(createdAt)}}","verdict":"covered","shortfallUsd":"0"}""";

    private async Task<PostgresStorageSettings> NewStoreAsync() =>
        new(await _server.CreateDatabaseAsync($"idempotency_{Interlocked.Increment(ref _databases)}"));
}
