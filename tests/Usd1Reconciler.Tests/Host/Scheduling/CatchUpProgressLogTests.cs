using System.Collections.Concurrent;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using Usd1Reconciler.Configuration;
using Usd1Reconciler.Core.Ingest;
using Usd1Reconciler.Core.Networks;
using Usd1Reconciler.Core.Supply;
using Usd1Reconciler.Indexing;
using Usd1Reconciler.Scheduling;
using Usd1Reconciler.Storage.Sqlite;

namespace Usd1Reconciler.Tests.Host.Scheduling;

/// <summary>`run`'s catch-up log over a real SQLite store and a fake clock: resume points, progress every interval, "caught up" once.</summary>
public sealed class CatchUpProgressLogTests
{
    private static readonly DateTimeOffset Start = new(2026, 12, 1, 10, 0, 0, TimeSpan.Zero);
    private string _directory = null!;

    [SetUp]
    public void SetUp() => _directory = Directory.CreateTempSubdirectory("usd1rec-catchup-").FullName;

    [TearDown]
    public void TearDown()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }

    private async Task<(CatchUpProgressLog Log, IndexProgressTracker Tracker, FakeTimeProvider Time, Lines Lines)> CreateAsync(bool indexedBefore)
    {
        var time = new FakeTimeProvider(Start);
        var store = SqliteSupplyStore.Open(Path.Combine(_directory, "store.db"), time);
        if (indexedBefore)
        {
            var id = await store.RegisterNetworkAsync(new NetworkRegistration("eth", NetworkKind.Evm, 1, "0xtoken"), CancellationToken.None);
            await store.CommitBatchAsync(new IndexedBatch(id, [], [], new ChainTip(4_999, string.Empty), Start) { FinalThrough = 4_990 }, CancellationToken.None);
        }

        var options = new ReconcilerOptions
        {
            Networks =
            [
                new NetworkOptions { Name = "eth", Kind = NetworkKind.Evm, StartBlock = 100 },
                new NetworkOptions { Name = "sol", Kind = NetworkKind.Solana },
            ],
        };
        var tracker = new IndexProgressTracker(new Dictionary<string, string> { ["eth"] = "block", ["sol"] = "slot" }, time);
        var lines = new Lines();
        var log = new CatchUpProgressLog(new LoadedConfiguration(Path.Combine(_directory, "config.json"), options, Path.Combine(_directory, "store.db")), store, tracker, time, lines)
        {
            Interval = TimeSpan.FromSeconds(30),
        };
        return (log, tracker, time, lines);
    }

    [Test]
    public async Task StartAsync_StoreHoldsBlocksOfOneNetwork_ResumePointPerNetwork()
    {
        var (log, _, _, lines) = await CreateAsync(indexedBefore: true);

        await log.StartAsync(CancellationToken.None);
        await log.StopAsync(CancellationToken.None);

        Assert.That(lines.All, Does.Contain("Information network eth: resuming at block 5000, final 4990"));
        Assert.That(lines.All, Does.Contain("Information network sol: nothing indexed yet, starting at slot 0"));
    }

    [Test]
    public async Task Execute_PassBehindItsHead_OneProgressLinePerIntervalThenCaughtUpOnce()
    {
        var (log, tracker, time, lines) = await CreateAsync(indexedBefore: false);
        await log.StartAsync(CancellationToken.None);
        tracker.PassStarted("eth", 99, 10_099);
        time.Advance(TimeSpan.FromSeconds(10));
        tracker.Committed("eth", 1_099, 5);

        time.Advance(TimeSpan.FromSeconds(20)); // the first 30 s tick
        await lines.WaitForAsync(l => l.Contains("block 1099 of 10099", StringComparison.Ordinal));
        Assert.That(lines.All, Has.Some.EqualTo("Information network eth: block 1099 of 10099, 5 events, 33.3 blocks/s, ETA 4 min 30 s"),
            "1,000 blocks in 30 s of the pass; 9,000 to go at 33.3/s");

        tracker.Committed("eth", 10_099, 2);
        tracker.PassEnded("eth", new IndexPassResult("eth", 10_099, 10_099, 7, 0, LedgerProofStatus.Ok));
        tracker.PassStarted("eth", 10_099, 10_105);
        tracker.PassEnded("eth", new IndexPassResult("eth", 10_105, 10_105, 0, 0, LedgerProofStatus.Ok));
        var before = lines.All.Count(l => l.Contains("of 10099", StringComparison.Ordinal));
        time.Advance(TimeSpan.FromSeconds(30));
        await Task.Delay(TimeSpan.FromMilliseconds(200), TimeProvider.System);
        await log.StopAsync(CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(lines.All.Where(l => l.Contains("caught up", StringComparison.Ordinal)), Is.EqualTo(new[] { "Information network eth: caught up at block 10099, final 10099" }),
                "said once, at the end of the first successful pass");
            Assert.That(lines.All.Count(l => l.Contains("of 10099", StringComparison.Ordinal)), Is.EqualTo(before), "no progress line once caught up");
            Assert.That(lines.All.Where(l => l.Contains("network sol: slot", StringComparison.Ordinal)), Is.Empty, "a network with no pass running has no progress line");
        });
    }

    private sealed class Lines : ILoggerFactory, ILogger
    {
        private readonly ConcurrentQueue<string> _lines = new();

        public IReadOnlyList<string> All => [.. _lines];

        public async Task WaitForAsync(Func<string, bool> match)
        {
            for (var i = 0; i < 500 && !_lines.Any(match); i++)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(10), TimeProvider.System);
            }
        }

        public ILogger CreateLogger(string categoryName) => this;

        public void AddProvider(ILoggerProvider provider)
        {
        }

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            _lines.Enqueue($"{logLevel} {formatter(state, exception)}");

        public void Dispose()
        {
        }
    }
}
