using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Usd1Reconciler.Configuration;
using Usd1Reconciler.IntegrationTests.Fixtures;
using Usd1Reconciler.Reconciliation;
using Usd1Reconciler.Storage.Sqlite;

namespace Usd1Reconciler.IntegrationTests.Publish;

/// <summary>
/// The published transparency page as a reader sees it: built from the chain a real daemon on anvil wrote, served from
/// a loopback listener, rendered by headless Chromium through the status page's driver script, figures read back from
/// the DOM and compared with the stored canonical report.
/// </summary>
[TestFixture]
[Category("Integration")]
public sealed class TransparencyPageBrowserTests
{
    private const string Chromium = "/usr/bin/chromium";

    [Test]
    public async Task Publish_DaemonChainOnAnvil_ChromiumShowsTheCanonicalFigures()
    {
        Assert.That(File.Exists(Chromium), Is.True, $"{Chromium} is missing");
        await using var anvil = await AnvilNode.StartAsync();
        var chain = new EvmTestChain(anvil);
        var token = await chain.DeployUsd1Async();
        await chain.MintAsync(token, EvmTestChain.Alice, 2_500_000_000);
        await using var daemon = await DaemonUnderTest.StartAsync(
            $$"""{ "Name": "anvil", "Kind": "Evm", "ChainId": {{anvil.ChainId}}, "RpcUrls": ["{{anvil.Url}}"], "Token": "{{token}}", "Confirmations": 0, "PollInterval": "00:00:00.250" }""",
            reservesUsd: 4_000m);
        var reports = new SqliteReconciliationStore(daemon.Store);
        var elapsed = Stopwatch.StartNew();
        while ((await reports.ListReportsAsync(1, CancellationToken.None)) is not [{ Verdict: "covered" }])
        {
            Assert.That(elapsed.Elapsed, Is.LessThan(TimeSpan.FromSeconds(60)), "the daemon reached no covered verdict");
            await Task.Delay(TimeSpan.FromMilliseconds(250), TimeProvider.System);
        }

        var (stored, anchor, pruned) = await reports.GetChainForAuditAsync(CancellationToken.None);
        var (json, html) = TransparencyReport.Build(stored, anchor, pruned, new PublishOptions(), TimeProvider.System.GetUtcNow());
        var port = FreePort();
        using var listener = new HttpListener();
        listener.Prefixes.Add($"http://127.0.0.1:{port}/");
        listener.Start();
        var serve = Task.Run(async () =>
        {
            var context = await listener.GetContextAsync();
            var body = Encoding.UTF8.GetBytes(html);
            context.Response.ContentType = "text/html; charset=utf-8";
            await context.Response.OutputStream.WriteAsync(body);
            context.Response.Close();
        });

        var screenshot = Path.Combine(TestContext.CurrentContext.WorkDirectory, "Publish", "transparency-page.png");
        Directory.CreateDirectory(Path.GetDirectoryName(screenshot)!);
        using var page = await ReadPageAsync(new Uri($"http://127.0.0.1:{port}/"), screenshot);
        await serve;
        using var published = JsonDocument.Parse(json);
        using var canonical = JsonDocument.Parse(published.RootElement.GetProperty("report").GetProperty("canonical").GetString()!);

        Assert.Multiple(() =>
        {
            Assert.That(new FileInfo(screenshot).Length, Is.GreaterThan(10_000), "a real rendering");
            Assert.That(page.RootElement.GetProperty("title").GetString(), Is.EqualTo("USD1 transparency report"));
            Assert.That(page.RootElement.GetProperty("verdict").GetString(), Is.EqualTo("COVERED"));
            Assert.That(page.RootElement.GetProperty("circulating").GetString(), Is.EqualTo(canonical.RootElement.GetProperty("circulatingSupplyUsd").GetString()).And.EqualTo("2500"));
            Assert.That(page.RootElement.GetProperty("reserves").GetString(), Is.EqualTo(canonical.RootElement.GetProperty("reservesUsd").GetString()).And.EqualTo("4000"));
            Assert.That(page.RootElement.GetProperty("coverage").GetString(), Is.EqualTo(canonical.RootElement.GetProperty("coverageBps").GetInt64().ToString(System.Globalization.CultureInfo.InvariantCulture)).And.EqualTo("16000"));
        });
    }

    private static int FreePort()
    {
        using var socket = new TcpListener(IPAddress.Loopback, 0);
        socket.Start();
        return ((IPEndPoint)socket.LocalEndpoint).Port;
    }

    private static async Task<JsonDocument> ReadPageAsync(Uri url, string screenshot)
    {
        var start = new ProcessStartInfo("node") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = RepoPaths.DevnetTools };
        foreach (var argument in new[] { Path.Combine(RepoPaths.DevnetTools, "browser", "read-status-page.mjs"), "--url", url.ToString(), "--screenshot", screenshot, "--chromium", Chromium })
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException("node did not start");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"read-status-page.mjs did not finish within a minute: {await stderr}");
        }

        return process.ExitCode == 0 ? JsonDocument.Parse(await stdout) : throw new InvalidOperationException($"read-status-page.mjs failed ({process.ExitCode}): {await stderr}");
    }
}
