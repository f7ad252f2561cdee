using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Numerics;
using System.Text.Json;
using Npgsql;
using Usd1Reconciler.Cli;
using Usd1Reconciler.IntegrationTests.Fixtures;

namespace Usd1Reconciler.IntegrationTests.HighAvailability;

/// <summary>
/// Issue 14 acceptance, on one set of real parts started once for the fixture (the tests run in order on it): two
/// `usd1rec run` processes on one PostgreSQL 15, two anvils under steady mint/burn traffic, a real Alertmanager
/// delivering to a webhook. A sampler reads both instances' <c>usd1_network_writer</c> four times a second throughout.
/// <list type="number">
/// <item>Ten alternating SIGKILLs of the writer (the first during its backfill), each followed by a restart of the
/// killed one: the standby takes every network over within 10 s each time (printed per cycle).</item>
/// <item>The oversized mints sent just before three of those kills are each paged exactly once: once in
/// Alertmanager's API, one firing notification at the webhook.</item>
/// <item>PostgreSQL restarted while both run: both reconnect, no firing has two reports, and a firing that fell while
/// the database was down is recorded as missed.</item>
/// <item>At the end the store equals both chains, `report verify` holds, and no sample ever saw two writers of a
/// network (nor none, outside a takeover or the database outage).</item>
/// </list>
/// The lease is the default 6 s, the length docs/operations-ha.md quotes: 2 s (the shortest the option allows) and 4 s
/// were tried first, and on this machine under load (load average 40-60 on 2 cores) the holder lost its lease every
/// few seconds with either (renewal timeouts are a quarter of the lease), so the networks flapped between the instances.
/// </summary>
[TestFixture]
[Category("Integration")]
[NonParallelizable]
public sealed partial class TwoInstanceFailoverTests
{
    private static readonly string[] Networks = ["evm-1", "evm-2"];

    /// <summary>
    /// Ten, as issue 14 asks. USD1REC_HA_CYCLES=n runs fewer (or more) when a run must be cheaper: on a machine at load
    /// 40-60 a restarted `usd1rec run` took 40-100 s to answer, so ten cycles cost 10-15 minutes there.
    /// </summary>
    private static readonly int Cycles = int.TryParse(Environment.GetEnvironmentVariable("USD1REC_HA_CYCLES"), out var n) && n > 0 ? n : 10;

    /// <summary>The cycles that send an oversized mint right before their kill: 2, 5, 8 of ten.</summary>
    private static readonly int[] PagedCycles = [.. Enumerable.Range(1, Cycles).Where(c => c % 3 == 2)];
    private static readonly BigInteger OversizedMint = 5_000_000_000; // 5,000 tokens, above MaxMint 1,000
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(5) };

    private readonly ConcurrentQueue<(int Chain, TaskCompletionSource<string> Sent)> _oversized = new();
    private readonly List<string> _oversizedTxs = [];
    private readonly Instance[] _instances = new Instance[2];
    private readonly EvmTestChain[] _chains = new EvmTestChain[2];
    private readonly string[] _tokens = new string[2];
    private readonly AnvilNode[] _anvils = new AnvilNode[2];
    private readonly CancellationTokenSource _stopTraffic = new();
    private readonly CancellationTokenSource _stopSampling = new();
    private PostgresServer _server = null!;
    private string _connectionString = null!;
    private TempDirectory _dir = null!;
    private WebhookReceiver _webhook = null!;
    private AlertmanagerServer _alertmanager = null!;
    private Task _traffic = Task.CompletedTask;
    private Task _sampler = Task.CompletedTask;
    private int _transitions;
    private int _samples;
    private int _doubleWriters;
    private int _unexpectedGaps;
    private int _transitionGaps;

    [OneTimeSetUp]
    public async Task StartWorld()
    {
        var clock = Stopwatch.StartNew();
        _server = await PostgresServer.StartAsync();
        _connectionString = await _server.CreateDatabaseAsync("ha");
        _dir = new TempDirectory("ha");
        _webhook = WebhookReceiver.Start();
        _alertmanager = await AlertmanagerServer.StartAsync(_webhook.Url);
        for (var c = 0; c < 2; c++)
        {
            _anvils[c] = await AnvilNode.StartAsync(chainId: 31337 + c);
            _chains[c] = new EvmTestChain(_anvils[c]);
            _tokens[c] = await _chains[c].DeployUsd1Async();
            await _chains[c].MintAsync(_tokens[c], EvmTestChain.Deployer, 1_000_000);
        }

        // A backlog on the first chain, so the first kill lands during the writer's backfill (MaxBlockRange 4).
        for (var i = 0; i < 20; i++)
        {
            await _chains[0].MintAsync(_tokens[0], EvmTestChain.Alice, 1_000 + i);
            await _chains[0].MineAsync(20);
        }

        var asOf = TimeProvider.System.GetUtcNow().AddMinutes(-1);
        await File.WriteAllTextAsync(_dir.File("reserves.csv"),
            "custodian,as_of,account_id,asset_class,currency,amount,bank,days_to_liquidity\n" +
            $"Trust Co,{asOf:yyyy-MM-ddTHH:mm:ssZ},op-1,cash,USD,1000000,Bank A,0\n");
        _instances[0] = await Instance.CreateAsync(_dir, "a", _connectionString, _anvils, _tokens, _alertmanager);
        _instances[1] = await Instance.CreateAsync(_dir, "b", _connectionString, _anvils, _tokens, _alertmanager);
        _traffic = Task.Run(TrafficAsync);
        var parts = clock.Elapsed;

        _instances[0].Start();
        Assert.That(await WaitUntilAsync(async () => await WritesAllAsync(_instances[0]), TimeSpan.FromSeconds(90)), Is.True, "a becomes the writer: " + _instances[0].Tail());
        _instances[1].Start();
        Assert.That(await WaitUntilAsync(async () => await UpAsync(_instances[1]), TimeSpan.FromSeconds(90)), Is.True, "b answers: " + _instances[1].Tail());
        _sampler = Task.Run(SampleAsync);
        TestContext.Progress.WriteLine($"[ha] world started in {clock.Elapsed.TotalSeconds:F1} s: PostgreSQL, Alertmanager, anvils, backlog {parts.TotalSeconds:F1} s, then both instances (load {LoadAverage()})");
    }

    [OneTimeTearDown]
    public async Task StopWorld()
    {
        await _stopTraffic.CancelAsync();
        await _stopSampling.CancelAsync();
        await Task.WhenAll(Swallow(_traffic), Swallow(_sampler));
        foreach (var instance in _instances)
        {
            instance?.Dispose();
        }

        foreach (var anvil in _anvils)
        {
            if (anvil is not null)
            {
                await anvil.DisposeAsync();
            }
        }

        await _alertmanager.DisposeAsync();
        await _webhook.DisposeAsync();
        await _server.DisposeAsync();
        _dir.Dispose();
        _stopTraffic.Dispose();
        _stopSampling.Dispose();
    }

    [Test]
    [Order(1)]
    public async Task Run_TenAlternatingSigkillsOfTheWriter_StandbyTakesOverWithin10sEachTime()
    {
        var takeovers = new List<TimeSpan>();
        var restarts = new List<TimeSpan>();
        var killedDuringBackfill = false;
        for (var cycle = 1; cycle <= Cycles; cycle++)
        {
            // The networks may be spread over both instances (each takes whatever lease is free); the one writing the
            // first network is killed, and the survivor must then write every network.
            Assert.That(await WaitUntilAsync(OneWriterOfEveryNetworkAsync, TimeSpan.FromSeconds(30)), Is.True, $"cycle {cycle}: every network has one writer before the kill");
            var active = await WriterOfAsync(Networks[0]);
            Assert.That(active, Is.Not.Null, $"cycle {cycle}: someone writes {Networks[0]}");
            var survivor = _instances.Single(i => i != active);
            if (cycle == 1)
            {
                // Some progress, not the whole backlog: the kill lands during the backfill.
                await WaitUntilAsync(async () => await IndexedTipAsync(Networks[0]) > 0, TimeSpan.FromSeconds(60));
                killedDuringBackfill = await IndexedTipAsync(Networks[0]) < await _chains[0].HeadAsync();
            }

            if (PagedCycles.Contains(cycle))
            {
                _oversizedTxs.Add(await SendOversizedAsync(0));
            }

            Interlocked.Increment(ref _transitions);
            var clock = Stopwatch.StartNew();
            active!.Kill();
            var killedAt = TimeProvider.System.GetUtcNow();
            var tookOver = await WaitUntilAsync(async () => await WritesAllAsync(survivor), TimeSpan.FromSeconds(30));
            var takeover = clock.Elapsed;
            Interlocked.Decrement(ref _transitions);
            takeovers.Add(takeover);
            TestContext.Progress.WriteLine(
                $"[ha] cycle {cycle}: SIGKILL of {active.Id} at {killedAt:HH:mm:ss.fff}, {survivor.Id} writes {string.Join(" and ", Networks)} after {takeover.TotalSeconds:F2} s" +
                $"{(tookOver ? "" : " (NOT within 30 s)")} (load {LoadAverage()})");
            Assert.That(tookOver, Is.True, $"cycle {cycle}: {survivor.Id} takes over: {survivor.Tail()}");

            var restart = Stopwatch.StartNew();
            active.Start();
            Assert.That(await WaitUntilAsync(async () => await UpAsync(active), TimeSpan.FromSeconds(180)), Is.True, $"cycle {cycle}: {active.Id} answers again after its restart: {active.Tail()}");
            restarts.Add(restart.Elapsed);
            TestContext.Progress.WriteLine($"[ha] cycle {cycle}: {active.Id} restarted and answering after {restart.Elapsed.TotalSeconds:F2} s");
        }

        TestContext.Progress.WriteLine(
            $"[ha] takeovers over {Cycles} SIGKILLs (lease 6 s, load {LoadAverage()}): min {takeovers.Min().TotalSeconds:F2} s, median {takeovers.Order().ElementAt(takeovers.Count / 2).TotalSeconds:F2} s, max {takeovers.Max().TotalSeconds:F2} s; restart to answering: median {restarts.Order().ElementAt(restarts.Count / 2).TotalSeconds:F2} s, max {restarts.Max().TotalSeconds:F2} s");
        Assert.Multiple(() =>
        {
            Assert.That(killedDuringBackfill, Is.True, "the first kill landed during the writer's backfill");
            Assert.That(takeovers, Has.All.LessThan(TimeSpan.FromSeconds(10)), "the standby takes over within 10 s at every kill");
            Assert.That(_doubleWriters, Is.Zero, $"two instances reported writing one network at {_doubleWriters} of {_samples} samples");
        });
    }

    [Test]
    [Order(2)]
    public async Task Run_OversizedMintsSentRightBeforeKills_EachPagedExactlyOnceThroughAlertmanager()
    {
        Assert.That(_oversizedTxs, Has.Count.EqualTo(PagedCycles.Length), "the kill cycles sent the oversized mints");
        foreach (var tx in _oversizedTxs)
        {
            await _webhook.WaitForAlertAsync("OversizedMint", TimeSpan.FromSeconds(150), where: a => a.Labels.GetValueOrDefault("tx") == tx);
        }

        // Give a duplicate (a re-send by the other instance, a second raise) the time to show: the outbox interval and
        // Alertmanager's group interval are 0.5 s and 1 s; wait until the outbox is empty on both, then two seconds more.
        await WaitUntilAsync(async () => await PendingAlertsAsync() == 0, TimeSpan.FromSeconds(30));
        var settle = Stopwatch.StartNew();
        await WaitUntilAsync(() => Task.FromResult(settle.Elapsed > TimeSpan.FromSeconds(2)), TimeSpan.FromSeconds(3));

        var inAlertmanager = (await _alertmanager.GetAlertsAsync()).EnumerateArray()
            .Select(a => a.GetProperty("labels"))
            .Where(l => l.TryGetProperty("alertname", out var n) && n.GetString() == "OversizedMint")
            .Select(l => l.GetProperty("tx").GetString())
            .ToList();
        var firings = _webhook.Alerts.Where(a => a.Status == "firing").GroupBy(a => string.Join(",", a.Labels.OrderBy(l => l.Key).Select(l => $"{l.Key}={l.Value}"))).ToList();
        TestContext.Progress.WriteLine($"[ha] pages: {firings.Count} distinct alerts fired at the webhook, {_webhook.Notifications.Count} notifications; OversizedMint in Alertmanager: {inAlertmanager.Count}");

        Assert.Multiple(() =>
        {
            foreach (var tx in _oversizedTxs)
            {
                Assert.That(inAlertmanager.Count(t => t == tx), Is.EqualTo(1), $"Alertmanager holds the page of {tx} once");
                Assert.That(_webhook.Alerts.Count(a => a.Status == "firing" && a.Labels.GetValueOrDefault("tx") == tx && a.Labels.GetValueOrDefault("alertname") == "OversizedMint"),
                    Is.EqualTo(1), $"the webhook received the page of {tx} once");
            }

            foreach (var alert in firings)
            {
                Assert.That(alert.Count(), Is.EqualTo(1), $"every page fires once at the webhook: {alert.Key}");
            }
        });
    }

    [Test]
    [Order(3)]
    public async Task Run_PostgresRestartedWhileBothRun_BothReconnectNoDuplicateReportMissedFiringRecorded()
    {
        var checkins = await CheckinsAsync();
        Interlocked.Increment(ref _transitions);
        var stoppedAt = TimeProvider.System.GetUtcNow();
        await _server.StopAsync();
        // The outage itself: long enough that a reconciliation firing (every 2 s) falls more than its misfire threshold
        // (two periods, 4 s) before the database is back.
        await Task.Delay(TimeSpan.FromSeconds(7), TimeProvider.System);
        await _server.RestartAsync();
        var restartedAt = TimeProvider.System.GetUtcNow();
        var clock = Stopwatch.StartNew();

        var writerAgain = await WaitUntilAsync(OneWriterOfEveryNetworkAsync, TimeSpan.FromSeconds(60));
        var writerAfter = clock.Elapsed;
        Interlocked.Decrement(ref _transitions);
        var bothCheckedIn = await WaitUntilAsync(async () =>
        {
            var now = await CheckinsAsync();
            return _instances.All(i => now.TryGetValue(i.Id, out var t) && checkins.TryGetValue(i.Id, out var before) && t > before);
        }, TimeSpan.FromSeconds(60));
        var checkedInAfter = clock.Elapsed;
        var reportedAgain = await WaitUntilAsync(async () => (await ScheduledAfterAsync(restartedAt)) > 0, TimeSpan.FromSeconds(60));
        var missed = await WaitUntilAsync(async () => (await MissedBetweenAsync(stoppedAt, restartedAt)).Count > 0, TimeSpan.FromSeconds(30));
        var missedFirings = await MissedBetweenAsync(stoppedAt, restartedAt);
        var (duplicates, scheduled) = await ScheduledReportsAsync();
        TestContext.Progress.WriteLine(
            $"[ha] database down {(restartedAt - stoppedAt).TotalSeconds:F1} s: a writer again {writerAfter.TotalSeconds:F2} s after the restart, both Quartz nodes checked in after {checkedInAfter.TotalSeconds:F2} s; " +
            $"missed firings recorded: {string.Join(", ", missedFirings.Select(m => m.ToString("HH:mm:ss", CultureInfo.InvariantCulture)))} (outage {stoppedAt:HH:mm:ss.f}-{restartedAt:HH:mm:ss.f}); {scheduled} scheduled reports, {duplicates} duplicates (load {LoadAverage()})");

        Assert.Multiple(() =>
        {
            Assert.That(writerAgain, Is.True, "every network has one writer again after the restart");
            Assert.That(bothCheckedIn, Is.True, "both instances reconnected: each checked in to Quartz's cluster after the restart");
            Assert.That(reportedAgain, Is.True, "scheduled reconciliations run again after the restart");
            Assert.That(missed, Is.True, "a firing that fell while the database was down is recorded as missed");
            Assert.That(duplicates, Is.Zero, "no scheduled firing has two reports");
            Assert.That(_doubleWriters, Is.Zero, $"two instances reported writing one network at {_doubleWriters} of {_samples} samples");
        });
    }

    [Test]
    [Order(4)]
    public async Task Run_AfterTheKillsAndTheRestart_StoreEqualsBothChainsReportChainVerifiesOneWriterAtEverySample()
    {
        await _stopTraffic.CancelAsync();
        await _traffic;
        var heads = new long[2];
        for (var c = 0; c < 2; c++)
        {
            heads[c] = await _chains[c].HeadAsync();
        }

        var caughtUp = await WaitUntilAsync(async () => await IndexedTipAsync(Networks[0]) >= heads[0] && await IndexedTipAsync(Networks[1]) >= heads[1], TimeSpan.FromSeconds(180));
        await _stopSampling.CancelAsync();
        await _sampler;
        var config = _instances[0].ConfigPath;
        foreach (var instance in _instances)
        {
            instance.Kill();
        }

        var supply = await CliAsync("supply", "--config", config, "--json");
        var verify = await CliAsync("report", "verify", "--config", config);
        var indexed = JsonDocument.Parse(supply.Out).RootElement.GetProperty("networks").EnumerateArray()
            .ToDictionary(n => n.GetProperty("name").GetString()!, n => BigInteger.Parse(n.GetProperty("indexedSupply").GetString()!, CultureInfo.InvariantCulture));
        var (duplicates, scheduled) = await ScheduledReportsAsync();
        TestContext.Progress.WriteLine(
            $"[ha] writer samples: {_samples}, two writers at {_doubleWriters}, none at {_unexpectedGaps} outside a takeover/outage ({_transitionGaps} inside one or with an instance not answering); {scheduled} scheduled reports");

        Assert.Multiple(async () =>
        {
            Assert.That(caughtUp, Is.True, "the last writer indexed both chains to their heads");
            for (var c = 0; c < 2; c++)
            {
                Assert.That(indexed[Networks[c]], Is.EqualTo(await _chains[c].TotalSupplyAsync(_tokens[c])), $"{Networks[c]}: Σ indexed mints − burns = totalSupply: no event lost or doubled across the failovers");
            }

            Assert.That(verify.Exit, Is.EqualTo(ExitCodes.Ok), verify.Out + verify.Err);
            Assert.That(scheduled, Is.GreaterThan(0), "scheduled reconciliations ran");
            Assert.That(duplicates, Is.Zero, "no scheduled firing has two reports");
            Assert.That(_doubleWriters, Is.Zero, $"two instances reported writing one network at {_doubleWriters} of {_samples} samples");
            Assert.That(_unexpectedGaps, Is.Zero, $"no instance wrote a network at {_unexpectedGaps} of {_samples} samples outside a takeover or the database outage");
        });
    }

    /// <summary>Steady mint/burn traffic on both chains, one transaction at a time per chain (anvil's pool bug), oversized mints on request.</summary>
    private async Task TrafficAsync()
    {
        var i = 0;
        while (!_stopTraffic.IsCancellationRequested)
        {
            while (_oversized.TryDequeue(out var request))
            {
                request.Sent.SetResult(await _chains[request.Chain].MintAsync(_tokens[request.Chain], EvmTestChain.Alice, OversizedMint));
            }

            var c = i % 2;
            if (i % 4 < 2)
            {
                await _chains[c].MintAsync(_tokens[c], EvmTestChain.Bob, 7);
            }
            else
            {
                await _chains[c].BurnOwnAsync(_tokens[c], 3);
            }

            i++;
            try
            {
                await Task.Delay(TimeSpan.FromMilliseconds(150), TimeProvider.System, _stopTraffic.Token);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private async Task<string> SendOversizedAsync(int chain)
    {
        var sent = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        _oversized.Enqueue((chain, sent));
        return await sent.Task.WaitAsync(TimeSpan.FromSeconds(30), TimeProvider.System);
    }

    /// <summary>Both instances four times a second, read at once: how many of them report writing each network.</summary>
    private async Task SampleAsync()
    {
        while (!_stopSampling.IsCancellationRequested)
        {
            var views = await ViewsAsync();
            var inTransition = Volatile.Read(ref _transitions) > 0;
            // A running instance that did not answer (a busy machine: the scrape timed out) leaves the sample open:
            // it may have been writing. Two writers can still be seen; no writer cannot.
            var unanswered = _instances.Where((instance, i) => instance.IsRunning && views[i] is null).Any();
            foreach (var network in Networks)
            {
                var writers = views.Count(v => v is not null && v.GetValueOrDefault(network) == 1);
                if (writers > 1)
                {
                    Interlocked.Increment(ref _doubleWriters);
                    TestContext.Progress.WriteLine($"[ha] two writers of {network} at {TimeProvider.System.GetUtcNow():HH:mm:ss.fff}");
                }
                else if (writers == 0 && (unanswered || inTransition || Volatile.Read(ref _transitions) > 0))
                {
                    Interlocked.Increment(ref _transitionGaps);
                }
                else if (writers == 0)
                {
                    Interlocked.Increment(ref _unexpectedGaps);
                    TestContext.Progress.WriteLine($"[ha] no writer of {network} at {TimeProvider.System.GetUtcNow():HH:mm:ss.fff}");
                }
            }

            Interlocked.Increment(ref _samples);
            try
            {
                await Task.Delay(TimeSpan.FromMilliseconds(250), TimeProvider.System, _stopSampling.Token);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <summary>What each instance reports, read at once; null for one that is down or does not answer.</summary>
    private async Task<Dictionary<string, int>?[]> ViewsAsync() =>
        await Task.WhenAll(_instances.Select(i => i.IsRunning ? WritersAsync(i.Port) : Task.FromResult<Dictionary<string, int>?>(null)));

    /// <summary>Every network has exactly one instance reporting it writes it.</summary>
    private async Task<bool> OneWriterOfEveryNetworkAsync()
    {
        var views = await ViewsAsync();
        return Networks.All(n => views.Count(v => v is not null && v.GetValueOrDefault(n) == 1) == 1);
    }

    /// <summary>The instance that reports writing <paramref name="network"/>, or null.</summary>
    private async Task<Instance?> WriterOfAsync(string network)
    {
        var views = await ViewsAsync();
        var writers = _instances.Where((_, i) => views[i] is { } v && v.GetValueOrDefault(network) == 1).ToList();
        return writers.Count == 1 ? writers[0] : null;
    }

    private static async Task<bool> WritesAllAsync(Instance instance) =>
        await WritersAsync(instance.Port) is { } view && Networks.All(n => view.GetValueOrDefault(n) == 1);

    /// <summary>Answers with a writer gauge for every network (1 or 0: under load a lease may move to it at any time).</summary>
    private static async Task<bool> UpAsync(Instance instance) =>
        await WritersAsync(instance.Port) is { } view && Networks.All(view.ContainsKey);

    /// <summary>usd1_network_writer per network of the instance on <paramref name="port"/>; null when it does not answer.</summary>
    private static async Task<Dictionary<string, int>?> WritersAsync(int port)
    {
        try
        {
            var metrics = await Http.GetStringAsync(new Uri($"http://127.0.0.1:{port}/metrics"));
            return WriterLine().Matches(metrics).ToDictionary(m => m.Groups[1].Value, m => int.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture));
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
        {
            return null;
        }
    }

    private async Task<long> PendingAlertsAsync()
    {
        await using var connection = await OpenAsync();
        await using var command = new NpgsqlCommand("SELECT COUNT(*) FROM alert_outbox WHERE delivered_at IS NULL AND abandoned_at IS NULL", connection);
        return (long)(await command.ExecuteScalarAsync())!;
    }

    private async Task<long> IndexedTipAsync(string network)
    {
        try
        {
            await using var connection = await OpenAsync();
            await using var command = new NpgsqlCommand("SELECT COALESCE(MAX(c.tip_number), -1) FROM cursors c JOIN networks n ON n.id = c.network_id WHERE n.name = @n", connection);
            command.Parameters.AddWithValue("n", network);
            return Convert.ToInt64(await command.ExecuteScalarAsync(), CultureInfo.InvariantCulture);
        }
        catch (NpgsqlException)
        {
            return -1;
        }
    }

    /// <summary>Quartz's last check-in of each instance (qrtz_scheduler_state), to see both reconnect.</summary>
    private async Task<Dictionary<string, long>> CheckinsAsync()
    {
        var checkins = new Dictionary<string, long>(StringComparer.Ordinal);
        try
        {
            await using var connection = await OpenAsync();
            await using var command = new NpgsqlCommand("SELECT instance_name, last_checkin_time FROM qrtz_scheduler_state", connection);
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                checkins[reader.GetString(0)] = reader.GetInt64(1);
            }
        }
        catch (NpgsqlException)
        {
            // The database is still starting.
        }

        return checkins;
    }

    private async Task<long> ScheduledAfterAsync(DateTimeOffset after)
    {
        await using var connection = await OpenAsync();
        await using var command = new NpgsqlCommand("SELECT COUNT(*) FROM reconciliation_reports WHERE kind = 'scheduled' AND scheduled_for > @after", connection);
        command.Parameters.AddWithValue("after", after.UtcDateTime);
        return (long)(await command.ExecuteScalarAsync())!;
    }

    /// <summary>Scheduled firings between the two times whose report records them as missed.</summary>
    private async Task<List<DateTime>> MissedBetweenAsync(DateTimeOffset from, DateTimeOffset to)
    {
        await using var connection = await OpenAsync();
        await using var command = new NpgsqlCommand(
            "SELECT scheduled_for FROM reconciliation_reports WHERE kind = 'scheduled' AND verdict = 'inconclusive' AND canonical LIKE '%was missed%' AND scheduled_for BETWEEN @from AND @to ORDER BY scheduled_for", connection);
        command.Parameters.AddWithValue("from", from.UtcDateTime.AddSeconds(-1));
        command.Parameters.AddWithValue("to", to.UtcDateTime);
        var missed = new List<DateTime>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            missed.Add(reader.GetDateTime(0));
        }

        return missed;
    }

    private async Task<(long Duplicates, long Scheduled)> ScheduledReportsAsync()
    {
        await using var connection = await OpenAsync();
        // Reports of the schedule beyond one per distinct firing (the unique index makes it 0 unless it is missing).
        await using var keyed = new NpgsqlCommand(
            "SELECT COUNT(*) - COUNT(DISTINCT scheduled_for) FROM reconciliation_reports WHERE kind = 'scheduled'", connection);
        await using var scheduled = new NpgsqlCommand("SELECT COUNT(*) FROM reconciliation_reports WHERE kind = 'scheduled' AND scheduled_for IS NOT NULL", connection);
        var sameKey = (long)(await keyed.ExecuteScalarAsync())!;
        return (sameKey, (long)(await scheduled.ExecuteScalarAsync())!);
    }

    private async Task<NpgsqlConnection> OpenAsync()
    {
        var connection = new NpgsqlConnection(_connectionString);
        await connection.OpenAsync();
        return connection;
    }

    private static async Task<(int Exit, string Out, string Err)> CliAsync(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exit = await CommandLineApp.Build(new CliConsole(output, error), TimeProvider.System).Parse(args).InvokeAsync(null, CancellationToken.None);
        return (exit, output.ToString(), error.ToString());
    }

    private static async Task<bool> WaitUntilAsync(Func<Task<bool>> condition, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < timeout)
        {
            try
            {
                if (await condition())
                {
                    return true;
                }
            }
            catch (NpgsqlException)
            {
                // The database is restarting; ask again.
            }

            await Task.Delay(TimeSpan.FromMilliseconds(100), TimeProvider.System);
        }

        return false;
    }

    private static string LoadAverage()
    {
        try
        {
            return string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3));
        }
        catch (IOException)
        {
            return "?";
        }
    }

    private static async Task Swallow(Task task)
    {
        try
        {
            await task;
        }
        catch (Exception ex) when (ex is OperationCanceledException or HttpRequestException or InvalidOperationException)
        {
            // Tear-down: the test already reported what mattered.
        }
    }

    [System.Text.RegularExpressions.GeneratedRegex(@"^usd1_network_writer\{network=""([^""]+)""\} (\d+)", System.Text.RegularExpressions.RegexOptions.Multiline)]
    private static partial System.Text.RegularExpressions.Regex WriterLine();

    /// <summary>One `usd1rec run` process: its configuration, its metrics port, its log; started, SIGKILLed and started again.</summary>
    private sealed class Instance : IDisposable
    {
        private readonly string _log;
        private Process? _process;

        private Instance(string id, string configPath, int port, string log)
        {
            Id = id;
            ConfigPath = configPath;
            Port = port;
            _log = log;
        }

        public string Id { get; }

        public string ConfigPath { get; }

        public int Port { get; }

        public bool IsRunning => _process is { HasExited: false };

        public static async Task<Instance> CreateAsync(TempDirectory dir, string id, string connectionString, AnvilNode[] anvils, string[] tokens, AlertmanagerServer alertmanager)
        {
            var port = FreePort.Next();
            Directory.CreateDirectory(dir.File(id));
            var path = dir.File($"{id}.json");
            var networks = string.Join(",", anvils.Select((anvil, c) => $$$"""
                {"Name":"{{{Networks[c]}}}","Kind":"Evm","ChainId":{{{anvil.ChainId}}},"RpcUrls":["{{{anvil.Url}}}"],"Token":"{{{tokens[c]}}}","Confirmations":0,"PollInterval":"00:00:00.500","MaxBlockRange":4,
                 "Anomalies":{"MaxMint":"1000000000"}}
                """));
            await File.WriteAllTextAsync(path, $$$"""
                {"Storage":{"Provider":"Postgres","ConnectionString":{{{JsonSerializer.Serialize(connectionString)}}},"Path":"{{{id}}}/spool.db"},
                 "Instance":{"Id":"{{{id}}}","WriterLease":"00:00:06"},
                 "Networks":[{{{networks}}}],
                 "Reserves":{"Feeds":[{"Name":"bank","Kind":"File","Path":"reserves.csv","PollInterval":"00:00:02"}]},
                 "Reconciliation":{"Schedule":"*/2 * * ? * *"},
                 "Alerting":{"AlertmanagerUrls":["{{{alertmanager.Url}}}"],"Interval":"00:00:00.500","ResolveAfter":"00:30:00","Cooldown":"00:00:00"},
                 "Http":{"Listen":"127.0.0.1:{{{port}}}"},
                 "Logging":{"Level":"Information"}}
                """);
            // USD1REC_HA_LOGS=<folder> keeps the instances' logs after the run (the temp folder is deleted).
            var logs = Environment.GetEnvironmentVariable("USD1REC_HA_LOGS") is { Length: > 0 } kept ? Directory.CreateDirectory(kept).FullName : dir.Path;
            return new Instance(id, path, port, Path.Combine(logs, $"{id}.log"));
        }

        public void Start()
        {
            _process?.Dispose();
            var start = Usd1recExecutable.StartInfo("run", "--config", ConfigPath);

            var process = Process.Start(start)!;
            var writer = new StreamWriter(_log, append: true) { AutoFlush = true };
            process.ErrorDataReceived += (_, e) => { if (e.Data is not null) { lock (writer) { writer.WriteLine(e.Data); } } };
            process.OutputDataReceived += (_, e) => { if (e.Data is not null) { lock (writer) { writer.WriteLine(e.Data); } } };
            process.BeginErrorReadLine();
            process.BeginOutputReadLine();
            _process = process;
        }

        /// <summary>SIGKILL, and wait until it is gone.</summary>
        public void Kill()
        {
            if (_process is { HasExited: false } process)
            {
                process.Kill(entireProcessTree: true);
                process.WaitForExit();
            }
        }

        public string Tail()
        {
            try
            {
                using var stream = new FileStream(_log, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
                using var reader = new StreamReader(stream);
                var text = reader.ReadToEnd();
                return text.Length > 3000 ? text[^3000..] : text;
            }
            catch (IOException)
            {
                return "(no log)";
            }
        }

        public void Dispose()
        {
            Kill();
            _process?.Dispose();
        }
    }
}
