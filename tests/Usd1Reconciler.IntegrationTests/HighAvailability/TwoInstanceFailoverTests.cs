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
/// `usd1rec run` processes on one PostgreSQL 15, two anvils and the LiteSVM Solana devnet under steady mint/burn
/// traffic, a real Alertmanager delivering to a webhook. A sampler reads both instances' <c>usd1_network_writer</c>
/// four times a second throughout.
/// <list type="number">
/// <item>Ten alternating SIGKILLs of the writer (the first during its backfill), each followed by a restart of the
/// killed one: the standby takes every network (both EVM chains and Solana) over within 10 s each time (printed per
/// cycle).</item>
/// <item>The oversized mints sent just before three of those kills (one on the first anvil and one on Solana each
/// time) are each paged exactly once: once in Alertmanager's API, one firing notification at the webhook.</item>
/// <item>PostgreSQL restarted while both run: both reconnect, no firing has two reports, and a firing that fell while
/// the database was down is recorded as missed.</item>
/// <item>At the end the store equals all three chains (on Solana also the count and sum of every mint and burn the
/// traffic sent), `report verify` holds, and no sample ever saw two writers of a
/// network (nor none, outside a takeover or the database outage).</item>
/// </list>
/// The lease is the default 6 s, the length docs/operations-ha.md quotes: 2 s (the shortest the option allows) and 4 s
/// were tried first, and on this machine under load (load average 40-60 on 2 cores) the holder lost its lease every
/// few seconds with either (renewal timeouts are a quarter of the lease), so the networks flapped between the instances.
/// <para>
/// The Solana devnet runs with its slot timer off and a finality lag of 4: its slots advance with the traffic (one
/// transaction per slot, one a second: each is built and signed by the driver's node process, which costs CPU the
/// instances need), so "finalized" keeps moving during the cycles; at the end empty slots finalize the rest.
/// </para>
/// </summary>
[TestFixture]
[Category("Integration")]
[NonParallelizable]
public sealed partial class TwoInstanceFailoverTests
{
    private const string Solana = "solana";
    private const int SolanaFinalityLag = 4;
    private static readonly string[] Networks = ["evm-1", "evm-2", Solana];

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
    private readonly ConcurrentQueue<TaskCompletionSource<string>> _oversizedSolana = new();
    private readonly List<(string Network, string Tx)> _oversizedTxs = [];
    private readonly Instance[] _instances = new Instance[2];
    private readonly EvmTestChain[] _chains = new EvmTestChain[2];
    private readonly string[] _tokens = new string[2];
    private readonly AnvilNode[] _anvils = new AnvilNode[2];
    private readonly CancellationTokenSource _stopTraffic = new();
    private SolanaDevnetFixture _solana = null!;
    private SolanaDriver _spl = null!;
    private string? _lastSolanaTx;
    private long _solanaMints;
    private long _solanaBurns;
    private BigInteger _solanaMinted;
    private BigInteger _solanaBurned;
    private readonly CancellationTokenSource _stopSampling = new();
    private PostgresServer _server = null!;
    private string _connectionString = null!;
    private TempDirectory _dir = null!;
    private WebhookReceiver _webhook = null!;
    private AlertmanagerServer _alertmanager = null!;
    private Task _traffic = Task.CompletedTask;
    private Task _solanaTraffic = Task.CompletedTask;
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
        // The Solana devnet and its mint are set up while the anvils start and take their backlog (node processes).
        var solana = StartSolanaAsync();
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

        await solana;
        var asOf = TimeProvider.System.GetUtcNow().AddMinutes(-1);
        await File.WriteAllTextAsync(_dir.File("reserves.csv"),
            "custodian,as_of,account_id,asset_class,currency,amount,bank,days_to_liquidity\n" +
            $"Trust Co,{asOf:yyyy-MM-ddTHH:mm:ssZ},op-1,cash,USD,1000000,Bank A,0\n");
        var networks = string.Join(",", _anvils.Select((anvil, c) => $$$"""
            {"Name":"{{{Networks[c]}}}","Kind":"Evm","ChainId":{{{anvil.ChainId}}},"RpcUrls":["{{{anvil.Url}}}"],"Token":"{{{_tokens[c]}}}","Confirmations":0,"PollInterval":"00:00:00.500","MaxBlockRange":4,
             "Anomalies":{"MaxMint":"1000000000"}}
            """).Append($$$"""
            {"Name":"{{{Solana}}}","Kind":"Solana","RpcUrls":["{{{_solana.Url}}}"],"Mint":"{{{_spl.Mint}}}","PollInterval":"00:00:00.500",
             "Anomalies":{"MaxMint":"1000000000"}}
            """));
        _instances[0] = await Instance.CreateAsync(_dir, "a", _connectionString, networks, _alertmanager);
        _instances[1] = await Instance.CreateAsync(_dir, "b", _connectionString, networks, _alertmanager);
        _traffic = Task.Run(TrafficAsync);
        _solanaTraffic = Task.Run(SolanaTrafficAsync);
        var parts = clock.Elapsed;

        // One after the other: a takes every lease (the first kill then lands during its backfill), b stands by. Starting
        // both at once was tried: on 2 cores at load 40 each took as long as both in turn (start-up is CPU-bound there),
        // and the networks started out spread.
        var instances = Stopwatch.StartNew();
        _instances[0].Start();
        Assert.That(await WaitUntilAsync(async () => await WritesAllAsync(_instances[0]), TimeSpan.FromSeconds(180)), Is.True, "a becomes the writer: " + _instances[0].Tail());
        var first = instances.Elapsed;
        _instances[1].Start();
        Assert.That(await WaitUntilAsync(async () => await UpAsync(_instances[1]), TimeSpan.FromSeconds(180)), Is.True, "b answers: " + _instances[1].Tail());
        _sampler = Task.Run(SampleAsync);
        TestContext.Progress.WriteLine(
            $"[ha] world started in {clock.Elapsed.TotalSeconds:F1} s: PostgreSQL, Alertmanager, anvils, Solana devnet, backlog {parts.TotalSeconds:F1} s, " +
            $"then a writing every network after {first.TotalSeconds:F1} s and b answering {(instances.Elapsed - first).TotalSeconds:F1} s later (load {LoadAverage()})");
    }

    /// <summary>The devnet, a Token mint with its driver, and a first mint of one token (below MaxMint: no page).</summary>
    private async Task StartSolanaAsync()
    {
        var clock = Stopwatch.StartNew();
        _solana = await SolanaDevnetFixture.StartAsync(finalityLag: SolanaFinalityLag);
        var started = clock.Elapsed;
        _spl = await SolanaDriver.SetupAsync(_solana);
        _lastSolanaTx = await _spl.MintAsync(1_000_000);
        _solanaMints = 1;
        _solanaMinted = 1_000_000;
        TestContext.Progress.WriteLine($"[ha] Solana devnet answering after {started.TotalSeconds:F1} s, mint set up and first mint sent after {clock.Elapsed.TotalSeconds:F1} s");
    }

    [OneTimeTearDown]
    public async Task StopWorld()
    {
        await _stopTraffic.CancelAsync();
        await _stopSampling.CancelAsync();
        await Task.WhenAll(Swallow(_traffic), Swallow(_solanaTraffic), Swallow(_sampler));
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

        _spl?.Dispose();
        if (_solana is not null)
        {
            await _solana.DisposeAsync();
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
                var evm = SendOversizedAsync(0);
                var spl = SendOversizedSolanaAsync();
                _oversizedTxs.Add((Networks[0], await evm));
                _oversizedTxs.Add((Solana, await spl));
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
                $"[ha] cycle {cycle}: SIGKILL of {active.Id} at {killedAt:HH:mm:ss.fff}, {survivor.Id} writes {string.Join(", ", Networks)} after {takeover.TotalSeconds:F2} s" +
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
        Assert.That(_oversizedTxs, Has.Count.EqualTo(2 * PagedCycles.Length), "the kill cycles sent the oversized mints");
        Assert.That(_oversizedTxs.Select(o => o.Network).Distinct(), Is.EquivalentTo(PagedCycles.Length == 0 ? [] : new[] { Networks[0], Solana }), "oversized mints on an anvil and on Solana");
        foreach (var (_, tx) in _oversizedTxs)
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
            foreach (var (network, tx) in _oversizedTxs)
            {
                Assert.That(_webhook.Alerts.Where(a => a.Labels.GetValueOrDefault("tx") == tx).Select(a => a.Labels.GetValueOrDefault("network")).Distinct(), Is.EqualTo(new[] { network }),
                    $"the page of {tx} names {network}");
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
        // Both run: both Quartz nodes check in. The instance restarted by the last kill cycle answers on HTTP and
        // indexes before its scheduler has started (the host starts its endpoints and index loops first), and this
        // outage is about running nodes, not one still storing its jobs.
        var beforeOutage = await CheckinsAsync();
        Assert.That(await WaitUntilAsync(async () =>
        {
            var now = await CheckinsAsync();
            return _instances.All(i => now.TryGetValue(i.Id, out var t) && (!beforeOutage.TryGetValue(i.Id, out var before) || t > before));
        }, TimeSpan.FromSeconds(120)), Is.True, "both Quartz nodes check in before the outage: " + string.Join(" | ", _instances.Select(i => i.Tail())));
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

        // The four recoveries are awaited side by side (each with its own timeout, as when they were awaited in turn):
        // they are independent, and in turn they cost the sum of their times.
        var writerAfter = TimeSpan.Zero;
        var checkedInAfter = TimeSpan.Zero;
        var writerAgainTask = Task.Run(async () =>
        {
            var ok = await WaitUntilAsync(OneWriterOfEveryNetworkAsync, TimeSpan.FromSeconds(60));
            writerAfter = clock.Elapsed;
            Interlocked.Decrement(ref _transitions);
            return ok;
        });
        var bothCheckedInTask = Task.Run(async () =>
        {
            var ok = await WaitUntilAsync(async () =>
            {
                var now = await CheckinsAsync();
                return _instances.All(i => now.TryGetValue(i.Id, out var t) && checkins.TryGetValue(i.Id, out var before) && t > before);
            }, TimeSpan.FromSeconds(60));
            checkedInAfter = clock.Elapsed;
            return ok;
        });
        var reportedAgainTask = WaitUntilAsync(async () => (await ScheduledAfterAsync(restartedAt)) > 0, TimeSpan.FromSeconds(60));
        var missedTask = WaitUntilAsync(async () => (await MissedBetweenAsync(stoppedAt, restartedAt)).Count > 0, TimeSpan.FromSeconds(90));
        var writerAgain = await writerAgainTask;
        var bothCheckedIn = await bothCheckedInTask;
        var reportedAgain = await reportedAgainTask;
        var missed = await missedTask;
        var checkinsAfter = await CheckinsAsync();
        var missedFirings = await MissedBetweenAsync(stoppedAt, restartedAt);
        var (duplicates, scheduled) = await ScheduledReportsAsync();
        TestContext.Progress.WriteLine(
            $"[ha] database down {(restartedAt - stoppedAt).TotalSeconds:F1} s: a writer again {writerAfter.TotalSeconds:F2} s after the restart, both Quartz nodes checked in after {checkedInAfter.TotalSeconds:F2} s; " +
            $"missed firings recorded: {string.Join(", ", missedFirings.Select(m => m.ToString("HH:mm:ss", CultureInfo.InvariantCulture)))} (outage {stoppedAt:HH:mm:ss.f}-{restartedAt:HH:mm:ss.f}); {scheduled} scheduled reports, {duplicates} duplicates (load {LoadAverage()})");

        Assert.Multiple(() =>
        {
            Assert.That(writerAgain, Is.True, "every network has one writer again after the restart");
            Assert.That(bothCheckedIn, Is.True, $"both instances reconnected: each checked in to Quartz's cluster after the restart (before: {string.Join(", ", checkins)}; after: {string.Join(", ", checkinsAfter)})");
            Assert.That(reportedAgain, Is.True, "scheduled reconciliations run again after the restart");
            Assert.That(missed, Is.True, "a firing that fell while the database was down is recorded as missed");
            Assert.That(duplicates, Is.Zero, "no scheduled firing has two reports");
            Assert.That(_doubleWriters, Is.Zero, $"two instances reported writing one network at {_doubleWriters} of {_samples} samples");
        });
    }

    [Test]
    [Order(4)]
    public async Task Run_AfterTheKillsAndTheRestart_StoreEqualsEveryChainReportChainVerifiesOneWriterAtEverySample()
    {
        await _stopTraffic.CancelAsync();
        await Task.WhenAll(_traffic, _solanaTraffic);
        var heads = new long[2];
        for (var c = 0; c < 2; c++)
        {
            heads[c] = await _chains[c].HeadAsync();
        }

        // Empty slots past the finality lag: every Solana transaction sent is finalized, so the supply read at
        // finalized is the chain's last word.
        await _solana.AdvanceSlotsAsync(SolanaFinalityLag + 1);
        var lastSolanaSlot = (await _solana.Rpc.CallAsync("getTransaction", [_lastSolanaTx, new Dictionary<string, object> { ["commitment"] = "confirmed", ["maxSupportedTransactionVersion"] = 0 }], CancellationToken.None))
            .GetProperty("slot").GetInt64();
        var caughtUp = await WaitUntilAsync(
            async () => await IndexedTipAsync(Networks[0]) >= heads[0] && await IndexedTipAsync(Networks[1]) >= heads[1] && await IndexedTipAsync(Solana) >= lastSolanaSlot
                // The indexed supply counts final events only: the pass after the devnet finalized the last slot must
                // have promoted them (a CI run read the supply before that pass: 21 base units short of the mint).
                && await ProvisionalEventsAsync(Solana) == 0,
            TimeSpan.FromSeconds(180));
        var solanaSupply = BigInteger.Parse(
            (await _solana.Rpc.CallAsync("getTokenSupply", [_spl.Mint, new Dictionary<string, object> { ["commitment"] = "finalized" }], CancellationToken.None))
            .GetProperty("value").GetProperty("amount").GetString()!, CultureInfo.InvariantCulture);
        var solanaEvents = await EventsAsync(Solana);
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
        TestContext.Progress.WriteLine(
            $"[ha] Solana: sent {_solanaMints} mints ({_solanaMinted}) and {_solanaBurns} burns ({_solanaBurned}); stored {solanaEvents.Mints} mints ({solanaEvents.Minted}) and {solanaEvents.Burns} burns ({solanaEvents.Burned}); supply at finalized {solanaSupply}, indexed {indexed[Solana]}");

        Assert.Multiple(async () =>
        {
            Assert.That(caughtUp, Is.True, "the last writer indexed every chain to its head, Solana's events all final");
            for (var c = 0; c < 2; c++)
            {
                Assert.That(indexed[Networks[c]], Is.EqualTo(await _chains[c].TotalSupplyAsync(_tokens[c])), $"{Networks[c]}: Σ indexed mints − burns = totalSupply: no event lost or doubled across the failovers");
            }

            Assert.That(solanaEvents, Is.EqualTo((_solanaMints, _solanaMinted, _solanaBurns, _solanaBurned)), "solana: every mint and burn the traffic sent is stored once, no more, no less");
            Assert.That(solanaSupply, Is.EqualTo(_solanaMinted - _solanaBurned), "solana: the mint's supply at the devnet is what the traffic sent");
            Assert.That(indexed[Solana], Is.EqualTo(solanaSupply), "solana: Σ indexed mints − burns = the mint's supply");

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

    /// <summary>
    /// Steady mint/burn traffic on Solana (one transaction a second: each one is built and signed by the driver's node
    /// process, and each costs the writer a getTransaction and a commit), oversized mints on request. Counts and sums what landed, for the end-state check.
    /// </summary>
    private async Task SolanaTrafficAsync()
    {
        var i = 0;
        while (!_stopTraffic.IsCancellationRequested)
        {
            while (_oversizedSolana.TryDequeue(out var request))
            {
                var oversized = await _spl.MintAsync((ulong)OversizedMint);
                _lastSolanaTx = oversized;
                _solanaMints++;
                _solanaMinted += OversizedMint;
                request.SetResult(oversized);
            }

            if (i % 4 < 2)
            {
                _lastSolanaTx = await _spl.MintAsync(7, isChecked: i % 8 == 0);
                _solanaMints++;
                _solanaMinted += 7;
            }
            else
            {
                _lastSolanaTx = await _spl.BurnAsync(3, isChecked: i % 8 == 2);
                _solanaBurns++;
                _solanaBurned += 3;
            }

            i++;
            try
            {
                await Task.Delay(TimeSpan.FromSeconds(1), TimeProvider.System, _stopTraffic.Token);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private async Task<string> SendOversizedSolanaAsync()
    {
        var sent = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        _oversizedSolana.Enqueue(sent);
        return await sent.Task.WaitAsync(TimeSpan.FromSeconds(30), TimeProvider.System);
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

    /// <summary>The stored mints and burns of <paramref name="network"/>: how many and their sums.</summary>
    private async Task<(long Mints, BigInteger Minted, long Burns, BigInteger Burned)> EventsAsync(string network)
    {
        await using var connection = await OpenAsync();
        await using var command = new NpgsqlCommand(
            "SELECT e.kind, COUNT(*), SUM(e.amount)::text FROM supply_events e JOIN networks n ON n.id = e.network_id WHERE n.name = @n GROUP BY e.kind", connection);
        command.Parameters.AddWithValue("n", network);
        var totals = new Dictionary<string, (long Count, BigInteger Sum)>(StringComparer.Ordinal);
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            totals[reader.GetString(0)] = (reader.GetInt64(1), BigInteger.Parse(reader.GetString(2), CultureInfo.InvariantCulture));
        }

        var mints = totals.GetValueOrDefault("mint");
        var burns = totals.GetValueOrDefault("burn");
        return (mints.Count, mints.Sum, burns.Count, burns.Sum);
    }

    private async Task<long> ProvisionalEventsAsync(string network)
    {
        await using var connection = await OpenAsync();
        await using var command = new NpgsqlCommand(
            "SELECT COUNT(*) FROM supply_events e JOIN networks n ON n.id = e.network_id WHERE n.name = @n AND NOT e.is_final", connection);
        command.Parameters.AddWithValue("n", network);
        return Convert.ToInt64(await command.ExecuteScalarAsync(), CultureInfo.InvariantCulture);
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

        /// <param name="networks">The Networks array's elements, as JSON.</param>
        public static async Task<Instance> CreateAsync(TempDirectory dir, string id, string connectionString, string networks, AlertmanagerServer alertmanager)
        {
            var port = FreePort.Next();
            Directory.CreateDirectory(dir.File(id));
            var path = dir.File($"{id}.json");
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
