using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Usd1Reconciler.Configuration;
using Usd1Reconciler.Core.Anomalies;
using Usd1Reconciler.Core.Ingest;
using Usd1Reconciler.Core.Networks;
using Usd1Reconciler.Core.Supply;
using Usd1Reconciler.Indexing;
using Usd1Reconciler.Storage;
using Usd1Reconciler.Storage.Sqlite;

namespace Usd1Reconciler.Tests.Host.Indexing;

public sealed class IndexPassRunnerTests
{
    private static readonly DateTimeOffset Start = new(2026, 12, 1, 10, 0, 0, TimeSpan.Zero);
    private string _directory = null!;

    [SetUp]
    public void SetUp() => _directory = Directory.CreateTempSubdirectory("usd1rec-passes-").FullName;

    [TearDown]
    public void TearDown()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }

    private async Task<(IndexPassRunner Runner, SqliteSupplyStore Store, CapturingLogger Log, FakeTimeProvider Time)> CreateAsync()
    {
        var time = new FakeTimeProvider(Start);
        var store = SqliteSupplyStore.Open(Path.Combine(_directory, "store.db"), time);
        await store.RegisterNetworkAsync(new NetworkRegistration("eth", NetworkKind.Evm, 1, "0xtoken"), CancellationToken.None);
        // No configured networks: the token check after a success has nothing to read and touches no network.
        using var http = new HttpClient();
        var paging = new AnomalyPaging(TimeSpan.FromMinutes(5), TimeSpan.FromHours(1));
        var anomalies = new SqliteAnomalyStore(store);
        var tokens = new TokenIdentityGuard(Array.Empty<NetworkOptions>(), store, anomalies, paging, TimeSpan.FromMinutes(5), http, time, NullLoggerFactory.Instance);
        var refusedReorgs = new RefusedReorgAlarm(anomalies, paging, TimeSpan.FromMinutes(5), time, NullLogger.Instance);
        var log = new CapturingLogger();
        return (new IndexPassRunner(store, tokens, refusedReorgs, time, log) { ReminderEvery = TimeSpan.FromMinutes(15) }, store, log, time);
    }

    [Test]
    public async Task Run_FailingEveryMinuteForHalfAnHour_OneErrorPlusRemindersWithTheLatestCause()
    {
        var (runner, store, log, time) = await CreateAsync();
        var indexer = new ScriptedIndexer("eth");
        for (var minute = 0; minute < 31; minute++)
        {
            indexer.Next = new InvalidOperationException($"endpoint down (attempt {minute})");
            var outcome = await runner.RunAsync(indexer, CancellationToken.None);
            Assert.That(outcome.Succeeded, Is.False);
            time.Advance(TimeSpan.FromMinutes(1));
        }

        var errors = log.Entries.Where(e => e.Level == LogLevel.Error).Select(e => e.Message).ToList();
        Assert.That(errors, Has.Count.EqualTo(3), "one ERR when the outage starts and a reminder at 15 and 30 min, not one per pass: " + string.Join(" | ", errors));
        Assert.That(errors[0], Does.Contain("attempt 0"));
        Assert.That(errors[2], Does.Contain("still failing since").And.Contain("31 failed passes").And.Contain("attempt 30"), "a reminder names the latest cause");
        var supply = (await store.GetSupplyAsync(CancellationToken.None)).Single();
        Assert.That(supply.FailingSince, Is.EqualTo(Start), "the store keeps the outage's first failure");
        Assert.That(supply.FailingReason, Does.Contain("attempt 30"));
    }

    [Test]
    public async Task Run_SuccessAfterFailures_FailureClearedInStoreAndRecoveryLoggedOnce()
    {
        var (runner, store, log, time) = await CreateAsync();
        var indexer = new ScriptedIndexer("eth") { Next = new InvalidOperationException("endpoint down") };
        await runner.RunAsync(indexer, CancellationToken.None);
        time.Advance(TimeSpan.FromMinutes(1));

        indexer.Next = null;
        var outcome = await runner.RunAsync(indexer, CancellationToken.None);
        await runner.RunAsync(indexer, CancellationToken.None);

        Assert.That(outcome.Succeeded, Is.True);
        Assert.That((await store.GetSupplyAsync(CancellationToken.None)).Single().FailingSince, Is.Null, "a successful pass ends the outage in the store");
        Assert.That(log.Entries.Count(e => e.Level == LogLevel.Information && e.Message.Contains("recovered", StringComparison.Ordinal)), Is.EqualTo(1));
    }

    [Test]
    public async Task Run_DeepReorg_RecordedAndCallerToldToStop()
    {
        var (runner, store, log, _) = await CreateAsync();
        var indexer = new ScriptedIndexer("eth") { Next = new DeepReorganizationException("eth", 9, 7, "0xaa", "0xbb") };

        var outcome = await runner.RunAsync(indexer, CancellationToken.None);

        Assert.That(outcome.StopNetwork, Is.True);
        Assert.That((await store.GetSupplyAsync(CancellationToken.None)).Single().FailingSince, Is.Not.Null);
        Assert.That(log.Entries.Single().Level, Is.EqualTo(LogLevel.Critical));
    }

    /// <summary>
    /// Issue 13.2's drift: only the scheduled job raised the refused reorg for paging, so one met by `index` or
    /// `reconcile --once` (which use this runner and nothing else) stopped the network without a page.
    /// </summary>
    [Test]
    public async Task Run_DeepReorg_ConditionStoredAndQueuedForPagingByThePolicyItself()
    {
        var (runner, store, _, _) = await CreateAsync();
        var indexer = new ScriptedIndexer("eth") { Next = new DeepReorganizationException("eth", 9, 7, "0xaa", "0xbb") };

        var outcome = await runner.RunAsync(indexer, CancellationToken.None);

        var anomalies = new SqliteAnomalyStore(store);
        var recent = await anomalies.GetRecentAnomaliesAsync(10, CancellationToken.None);
        Assert.That(recent.Select(a => (a.Anomaly.Rule, a.Anomaly.Network)), Is.EquivalentTo(new[] { (AnomalyRule.DeepReorg, "eth") }), "the refused reorg is a stored condition, whichever verb met it");
        Assert.That(await anomalies.CountPendingAlertsAsync(CancellationToken.None), Is.EqualTo(1), "and waits in the outbox for the daemon to page it");
        Assert.That(outcome.RaisedAnomaly?.Anomaly.Rule, Is.EqualTo(AnomalyRule.DeepReorg), "the job counts what the policy raised");
    }

    [Test]
    public async Task Run_DeepReorgAgainWithinTheRefresh_NotQueuedTwice()
    {
        var (runner, store, _, _) = await CreateAsync();
        var indexer = new ScriptedIndexer("eth") { Next = new DeepReorganizationException("eth", 9, 7, "0xaa", "0xbb") };

        await runner.RunAsync(indexer, CancellationToken.None);
        var again = await runner.RunAsync(indexer, CancellationToken.None);

        Assert.That(again.RaisedAnomaly, Is.Null, "an open condition is re-posted only after its refresh time");
        Assert.That(await new SqliteAnomalyStore(store).CountPendingAlertsAsync(CancellationToken.None), Is.EqualTo(1));
    }

    [Test]
    public async Task Run_Cancelled_PropagatesAndRecordsNothing()
    {
        var (runner, store, _, _) = await CreateAsync();
        using var cancel = new CancellationTokenSource();
        await cancel.CancelAsync();
        var indexer = new ScriptedIndexer("eth") { Next = new OperationCanceledException(cancel.Token) };

        Assert.CatchAsync<OperationCanceledException>(() => runner.RunAsync(indexer, cancel.Token));
        Assert.That((await store.GetSupplyAsync(CancellationToken.None)).Single().FailingSince, Is.Null, "stopping is not an outage");
    }

    private sealed class ScriptedIndexer(string network) : INetworkIndexer
    {
        public string Network { get; } = network;

        public Exception? Next { get; set; }

        public Task<IndexPassResult> RunPassAsync(CancellationToken cancellationToken) =>
            Next is { } failure ? Task.FromException<IndexPassResult>(failure) : Task.FromResult(new IndexPassResult(Network, 10, 10, 0, 0, LedgerProofStatus.Ok));
    }

    private sealed class CapturingLogger : ILogger
    {
        public List<(LogLevel Level, string Message)> Entries { get; } = [];

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            Entries.Add((logLevel, formatter(state, exception)));
    }
}
