using System.Diagnostics;
using System.Text.Json;
using Usd1Reconciler.Core.Supply;
using Usd1Reconciler.IntegrationTests.Fixtures;
using Usd1Reconciler.Storage.Sqlite;

namespace Usd1Reconciler.IntegrationTests.StatusPage;

/// <summary>
/// The status page as a person sees it: rendered by headless Chromium (Debian's `chromium`, driven by playwright-core
/// through tools/devnet/browser/read-status-page.mjs), screenshotted, and every figure read back from the rendered DOM
/// compared with the store the daemon serves it from.
/// </summary>
[TestFixture]
[Category("Integration")]
public sealed class StatusPageBrowserTests
{
    private const string Chromium = "/usr/bin/chromium";

    private static string Script => Path.Combine(RepoPaths.DevnetTools, "browser", "read-status-page.mjs");

    [Test]
    public async Task Render_DaemonOnAnvilCovered_DomFiguresEqualTheStoreAndScreenshotIsSaved()
    {
        Assert.That(File.Exists(Chromium), Is.True, $"{Chromium} is missing: `apt-get install -y --no-install-recommends chromium` (.ci/run does)");
        await using var anvil = await AnvilNode.StartAsync();
        var chain = new EvmTestChain(anvil);
        var token = await chain.DeployUsd1Async();
        await chain.MintAsync(token, EvmTestChain.Alice, 2_500_000_000);
        await chain.MintAsync(token, EvmTestChain.Deployer, 750_000_000);
        await chain.BurnOwnAsync(token, 125_000_000);
        await using var daemon = await DaemonUnderTest.StartAsync(
            $$"""{ "Name": "anvil", "Kind": "Evm", "ChainId": {{anvil.ChainId}}, "RpcUrls": ["{{anvil.Url}}"], "Token": "{{token}}", "Confirmations": 0, "PollInterval": "00:00:00.250" }""",
            reservesUsd: 4_000m);
        var reports = new SqliteReconciliationStore(daemon.Store);
        await WaitUntilAsync(async () => (await reports.ListReportsAsync(1, CancellationToken.None)) is [{ Verdict: "covered" }], TimeSpan.FromSeconds(30));

        var screenshot = Path.Combine(TestContext.CurrentContext.WorkDirectory, "StatusPage", $"status-page-{TestContext.CurrentContext.Test.ID}.png");
        Directory.CreateDirectory(Path.GetDirectoryName(screenshot)!);
        using var page = await ReadPageAsync(daemon.Url, screenshot);
        TestContext.Out.WriteLine($"screenshot: {screenshot}");
        TestContext.AddTestAttachment(screenshot, "the status page as headless Chromium rendered it");

        var supply = (await daemon.Store.GetSupplyAsync(CancellationToken.None)).Single();
        var latest = (await reports.ListReportsAsync(1, CancellationToken.None))[0];
        using var canonical = JsonDocument.Parse(latest.Canonical);
        var shown = page.RootElement;
        var row = shown.GetProperty("networks").EnumerateArray().Single();
        Assert.Multiple(() =>
        {
            Assert.That(new FileInfo(screenshot).Length, Is.GreaterThan(10_000), "a real rendering, not an empty image");
            Assert.That(shown.GetProperty("verdict").GetString(), Is.EqualTo("COVERED"), "4,000 USD of reserves back 3,125 tokens");
            Assert.That(shown.GetProperty("verdict").GetString(), Is.EqualTo(latest.Verdict.ToUpperInvariant()), "the verdict shown is the newest stored report's");
            Assert.That(shown.GetProperty("circulating").GetString(), Is.EqualTo(canonical.RootElement.GetProperty("circulatingSupplyUsd").GetString()));
            Assert.That(shown.GetProperty("circulating").GetString(), Is.EqualTo("3125"), "2,500 + 750 − 125 tokens of 6 decimals");
            Assert.That(shown.GetProperty("reserves").GetString(), Is.EqualTo(canonical.RootElement.GetProperty("reservesUsd").GetString()));
            Assert.That(row.GetProperty("name").GetString(), Is.EqualTo(supply.Name));
            Assert.That(row.GetProperty("finalBlock").GetString(), Is.EqualTo(supply.FinalBlock.ToString(System.Globalization.CultureInfo.InvariantCulture)));
            Assert.That(row.GetProperty("indexed").GetString(), Is.EqualTo(supply.IndexedSupply.ToString(System.Globalization.CultureInfo.InvariantCulture)));
            Assert.That(row.GetProperty("indexed").GetString(), Is.EqualTo("3125000000"), "the store's figure is the chain's: 3,125 tokens in base units");
            Assert.That(row.GetProperty("onchain").GetString(), Is.EqualTo(supply.LatestProof!.OnchainSupply.ToString()));
            Assert.That(row.GetProperty("proof").GetString(), Is.EqualTo(LedgerProofStatus.Ok.ToString().ToLowerInvariant()));
            Assert.That(row.GetProperty("mints").GetString(), Is.EqualTo(supply.FinalMints.ToString(System.Globalization.CultureInfo.InvariantCulture)));
            Assert.That(row.GetProperty("burns").GetString(), Is.EqualTo(supply.FinalBurns.ToString(System.Globalization.CultureInfo.InvariantCulture)));
            Assert.That(row.GetProperty("reorgs").GetString(), Is.EqualTo(supply.Reorgs.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        });
    }

    private static async Task<JsonDocument> ReadPageAsync(Uri url, string screenshot)
    {
        var start = new ProcessStartInfo("node")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = RepoPaths.DevnetTools,
        };
        foreach (var argument in new[] { Script, "--url", url.ToString(), "--screenshot", screenshot, "--chromium", Chromium })
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

        return process.ExitCode == 0
            ? JsonDocument.Parse(await stdout)
            : throw new InvalidOperationException($"read-status-page.mjs failed ({process.ExitCode}): {await stderr}");
    }

    private static async Task WaitUntilAsync(Func<Task<bool>> condition, TimeSpan timeout)
    {
        var elapsed = Stopwatch.StartNew();
        while (!await condition())
        {
            if (elapsed.Elapsed > timeout)
            {
                Assert.Fail($"the daemon reached no covered verdict within {timeout}");
            }

            await Task.Delay(TimeSpan.FromMilliseconds(250), TimeProvider.System);
        }
    }
}
