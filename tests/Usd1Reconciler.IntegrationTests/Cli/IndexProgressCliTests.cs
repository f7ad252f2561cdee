using System.Text.RegularExpressions;
using Usd1Reconciler.Cli;
using Usd1Reconciler.IntegrationTests.Fixtures;

namespace Usd1Reconciler.IntegrationTests.Cli;

/// <summary>`usd1rec index` with its diagnostics redirected (a file, CI, the journal): plain progress lines from the real cursor.</summary>
[TestFixture]
[Category("Integration")]
public sealed partial class IndexProgressCliTests
{
    [GeneratedRegex(@"^network anvil: block (?<cursor>\d+) of (?<target>\d+), (?<events>\d+) events, (?<rate>[\d.]+|–) blocks/s, ETA (?<eta>.+)$", RegexOptions.Multiline)]
    private static partial Regex ProgressLine();

    [Test]
    [CancelAfter(300_000)]
    public async Task IndexOnce_RedirectedLongBackfill_PlainProgressLinesEveryIntervalFromTheCommittedCursor()
    {
        await using var anvil = await AnvilNode.StartAsync();
        var chain = new EvmTestChain(anvil);
        var token = await chain.DeployUsd1Async();
        await chain.MintAsync(token, EvmTestChain.Alice, 2_000_000);
        // A history long enough to watch: 400 blocks at one block per eth_getLogs, each reply 25 ms late as from a
        // distant provider (the proxy forwards everything else unchanged to the real anvil). anvil mines only tens
        // to hundreds of blocks a second here, so the history is made slow to read, not long.
        for (var i = 0; i < 4; i++)
        {
            await chain.MineAsync(100);
        }

        await chain.MintAsync(token, EvmTestChain.Bob, 1_000_000);
        await using var proxy = await FaultProxy.StartAsync(anvil.Url);
        proxy.Latency = TimeSpan.FromMilliseconds(25);
        proxy.Decide = methods => methods.Contains("eth_getLogs") ? FaultKind.Latency : FaultKind.None;
        var head = await chain.HeadAsync();
        using var dir = new TempDirectory("progress");
        var config = dir.File("config.json");
        await File.WriteAllTextAsync(config, $$"""
            {"Storage":{"Path":"store.db"},"Logging":{"Level":"Warning"},
             "Networks":[{"Name":"anvil","Kind":"Evm","ChainId":{{anvil.ChainId}},"RpcUrls":["{{proxy.Url}}"],"Token":"{{token}}","Confirmations":0,"MaxBlockRange":1}]}
            """);
        using var output = new StringWriter();
        using var error = new StringWriter();
        var console = new CliConsole(output, error) { ProgressInterval = TimeSpan.FromMilliseconds(200) };

        var started = TimeProvider.System.GetTimestamp();
        var exit = await CommandLineApp.Build(console, TimeProvider.System).Parse(["index", "--config", config, "--once"]).InvokeAsync();
        var took = TimeProvider.System.GetElapsedTime(started);

        var lines = ProgressLine().Matches(error.ToString()).ToList();
        TestContext.Out.WriteLine($"backfill of {head + 1} blocks took {took.TotalSeconds:F1} s; {lines.Count} progress lines:\n{error}");
        Assert.That(exit, Is.Zero, error.ToString());
        Assert.That(output.ToString(), Does.Contain($"network anvil: indexed to {head}, final {head}, 2 new events"));
        Assert.That(error.ToString(), Does.Not.Contain("\u001b"), "redirected: plain text, no terminal escapes");
        // At a 200 ms interval a backfill of several seconds prints several lines; at least two show movement.
        Assert.That(lines, Has.Count.GreaterThanOrEqualTo(2), $"progress lines in {took.TotalSeconds:F1} s at a 200 ms interval");
        var cursors = lines.Select(m => long.Parse(m.Groups["cursor"].Value, System.Globalization.CultureInfo.InvariantCulture)).ToList();
        Assert.Multiple(() =>
        {
            Assert.That(lines.Select(m => m.Groups["target"].Value).Distinct(), Is.EqualTo(new[] { head.ToString(System.Globalization.CultureInfo.InvariantCulture) }),
                "the target is the head the pass indexes to");
            Assert.That(cursors, Is.Ordered, "the committed cursor only moves forward");
            Assert.That(cursors[^1], Is.GreaterThan(cursors[0]));
            Assert.That(cursors, Has.All.LessThan(head), "a line is printed only while the pass is behind its head");
            Assert.That(lines[^1].Groups["events"].Value, Is.EqualTo("1"), "the first mint (block 2) is stored, the second (at the head) not yet");
            Assert.That(lines.Skip(1).Select(m => m.Groups["rate"].Value), Has.None.EqualTo("–"), "after the first interval the rate is measured");
        });
    }
}
