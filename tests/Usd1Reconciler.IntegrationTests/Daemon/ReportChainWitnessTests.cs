using System.Diagnostics;
using System.Globalization;
using Dapper;
using Microsoft.Data.Sqlite;
using Usd1Reconciler.Cli;
using Usd1Reconciler.IntegrationTests.Fixtures;

namespace Usd1Reconciler.IntegrationTests.Daemon;

/// <summary>
/// The report chain's outside witness end to end: `usd1rec run` writing scheduled reports, a real Prometheus scraping
/// it with the shipped rules, and the newest report deleted from the SQLite store behind the daemon's back — a cut that
/// `report verify` alone cannot see, because the shorter chain links perfectly.
/// </summary>
[TestFixture]
[Category("Integration")]
public sealed class ReportChainWitnessTests
{
    // Generous: the daemon, anvil and Prometheus share two cores with whatever else runs.
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    private static async Task<(int Exit, string Out, string Err)> CliAsync(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exit = await CommandLineApp.Build(new CliConsole(output, error), TimeProvider.System).Parse(args).InvokeAsync();
        return (exit, output.ToString(), error.ToString());
    }

    private static async Task<(long Count, long Id, string Hash)> NewestAsync(string store)
    {
        await using var connection = new SqliteConnection($"Data Source={store};Pooling=False");
        var count = await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM reconciliation_reports");
        var newest = await connection.QuerySingleOrDefaultAsync<(long, string)?>("SELECT id, hash FROM reconciliation_reports ORDER BY id DESC LIMIT 1");
        return newest is { } n ? (count, n.Item1, n.Item2) : (count, 0, "");
    }

    private static async Task<int> ExecuteAsync(string store, string sql)
    {
        await using var connection = new SqliteConnection($"Data Source={store};Pooling=False");
        return await connection.ExecuteAsync(sql);
    }

    [Test]
    public async Task NewestReportDeleted_ChainRulesFireInPrometheus_VerifyExpectHeadFails_EditedReportExportRefused()
    {
        await using var node = await AnvilNode.StartAsync();
        var chain = new EvmTestChain(node);
        var token = await chain.DeployUsd1Async();
        await chain.MintAsync(token, EvmTestChain.Alice, 1_000_000);
        using var dir = new TempDirectory("chain-witness");
        var store = dir.File("store.db");
        var port = FreePort.Next();
        await File.WriteAllTextAsync(dir.File("reserves.json"), $$"""
            {"custodian":"Bank A","asOf":"{{TimeProvider.System.GetUtcNow().UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture)}}","attestation":"test",
             "accounts":[{"id":"op-1","assetClass":"cash","currency":"USD","amount":"2","bank":"Bank A","daysToLiquidity":0}]}
            """);
        var config = dir.File("config.json");
        // A report every 5 s: after one is appended there are seconds, many scrapes, before the next one.
        await File.WriteAllTextAsync(config, $$$"""
            {"Storage":{"Path":"store.db"},
             "Http":{"Listen":"127.0.0.1:{{{port}}}"},
             "Logging":{"Level":"Warning"},
             "Networks":[{"Name":"anvil","Kind":"Evm","ChainId":{{{node.ChainId}}},"RpcUrls":["{{{node.Url}}}"],"Token":"{{{token}}}","Confirmations":0,"PollInterval":"00:00:00.500"}],
             "Reserves":{"Feeds":[{"Name":"bank-a","Kind":"File","Path":"reserves.json","PollInterval":"00:00:00.500","StaleAfter":"01:00:00"}]},
             "Reconciliation":{"Schedule":"0/5 * * * * ?"}}
            """);

        using var stop = new CancellationTokenSource();
        using var daemonOut = new StringWriter();
        using var daemonErr = new StringWriter();
        var run = Task.Run(() => CommandLineApp.Build(new CliConsole(daemonOut, daemonErr), TimeProvider.System).Parse(["run", "--config", config]).InvokeAsync(null, stop.Token));
        try
        {
            await using var prometheus = await PrometheusServer.StartAsync(new PrometheusServerOptions
            {
                Targets = [new Uri($"http://127.0.0.1:{port}/metrics")],
                RuleFiles = [RepoPaths.PrometheusRules],
                RuleForOverride = TimeSpan.Zero,
            });
            await prometheus.WaitForAsync("usd1_report_chain_length", r => r.Samples.Count == 1 && r.Single >= 2, Timeout);

            // Delete right after an append (and after Prometheus saw it), so the shorter chain is what several scrapes
            // see before the next report. Only while it is still the newest: on a machine slow enough for the next
            // report to land first, wait for the next one instead of cutting the middle of the chain.
            var clock = Stopwatch.StartNew();
            (long Count, long Id, string Hash) appended;
            while (true)
            {
                var before = await NewestAsync(store);
                do
                {
                    Assert.That(clock.Elapsed, Is.LessThan(Timeout * 2), "the 5-second schedule keeps appending reports");
                    await Task.Delay(TimeSpan.FromMilliseconds(50), TimeProvider.System);
                    appended = await NewestAsync(store);
                }
                while (appended.Count == before.Count);

                var sinceAppend = Stopwatch.StartNew();
                await prometheus.WaitForAsync($"usd1_report_chain_head_info{{hash=\"{appended.Hash}\"}}", r => r.Samples.Count == 1, Timeout);
                // Half the schedule's 5 s left at least, for scrapes of the shorter chain before the next report.
                if (sinceAppend.Elapsed < TimeSpan.FromSeconds(2.5)
                    && await ExecuteAsync(store, $"DELETE FROM reconciliation_reports WHERE id = {appended.Id} AND id = (SELECT MAX(id) FROM reconciliation_reports)") == 1)
                {
                    break;
                }
            }

            var deleted = Stopwatch.StartNew();

            await prometheus.WaitForAsync("ALERTS{alertname=\"Usd1ReportChainShrunk\", alertstate=\"firing\"}", r => r.Samples.Count == 1, Timeout);
            TestContext.Out.WriteLine($"newest report deleted -> Usd1ReportChainShrunk firing: {deleted.Elapsed.TotalMilliseconds:F0} ms");
            // The next scheduled report takes the deleted one's place: same length, another head.
            await prometheus.WaitForAsync("ALERTS{alertname=\"Usd1ReportChainHeadReplaced\", alertstate=\"firing\"}", r => r.Samples.Count == 1, Timeout);
            TestContext.Out.WriteLine($"newest report deleted -> Usd1ReportChainHeadReplaced firing: {deleted.Elapsed.TotalMilliseconds:F0} ms");

            var plain = await CliAsync("report", "verify", "--config", config);
            var witnessed = await CliAsync("report", "verify", "--config", config, "--expect-head", appended.Hash);
            Assert.Multiple(() =>
            {
                Assert.That(plain.Exit, Is.EqualTo(ExitCodes.Ok), "without a witness the cut chain still links: " + plain.Err);
                Assert.That(witnessed.Exit, Is.EqualTo(ExitCodes.Failure), witnessed.Out + witnessed.Err);
                Assert.That(witnessed.Err, Does.Contain($"the chain does not reach the expected head {appended.Hash}"));
            });

            await ExecuteAsync(store, "UPDATE reconciliation_reports SET canonical = replace(canonical, '\"kind\":\"scheduled\"', '\"kind\":\"scheduled\" ') WHERE id = 1");
            var export = await CliAsync("report", "export", "--config", config, "--format", "json");
            Assert.Multiple(() =>
            {
                Assert.That(export.Exit, Is.EqualTo(ExitCodes.Failure), "an edited chain is not exported as if it were sound");
                Assert.That(export.Err, Does.Contain("not exporting: the report chain is broken").And.Contain("first: report 1: content hashes to"));
                Assert.That(export.Out, Is.Empty);
            });
        }
        finally
        {
            await stop.CancelAsync();
            var exit = await run;
            SqliteConnection.ClearAllPools();
            Assert.That(exit, Is.EqualTo(ExitCodes.Ok), daemonErr.ToString());
        }
    }
}
