using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;
using Usd1Reconciler.IntegrationTests.Fixtures;

namespace Usd1Reconciler.IntegrationTests.Cli;

/// <summary>`usd1rec index` (following) as a real child process stops on SIGTERM like `run`: exit 0 and where each network stopped.</summary>
[TestFixture]
[Category("Integration")]
public sealed partial class IndexStopTests
{
    [GeneratedRegex(@"network anvil: stopped at block (\d+)")]
    private static partial Regex StoppedLine();

    [Test]
    [CancelAfter(120_000)]
    public async Task Index_SigtermWhileFollowing_ExitZeroAndStoppedAtBlockLine()
    {
        await using var anvil = await AnvilNode.StartAsync();
        var chain = new EvmTestChain(anvil);
        var token = await chain.DeployUsd1Async();
        await chain.MintAsync(token, EvmTestChain.Alice, 2_000_000);
        var head = await chain.HeadAsync();
        using var dir = new TempDirectory("stop");
        var config = dir.File("config.json");
        await File.WriteAllTextAsync(config, $$"""
            {"Storage":{"Path":"store.db"},"Logging":{"Level":"Warning"},
             "Networks":[{"Name":"anvil","Kind":"Evm","ChainId":{{anvil.ChainId}},"RpcUrls":["{{anvil.Url}}"],"Token":"{{token}}","Confirmations":0,"PollInterval":"00:00:01"}]}
            """);
        var start = Usd1recExecutable.StartInfo("index", "--config", config);

        using var process = Process.Start(start)!;
        var output = new StringBuilder();
        var firstPass = new TaskCompletionSource();
        process.OutputDataReceived += (_, e) =>
        {
            lock (output)
            {
                output.AppendLine(e.Data);
            }

            if (e.Data?.Contains("network anvil: indexed to", StringComparison.Ordinal) == true)
            {
                firstPass.TrySetResult();
            }
        };
        process.BeginOutputReadLine();
        var errors = process.StandardError.ReadToEndAsync();
        try
        {
            await firstPass.Task.WaitAsync(TimeSpan.FromSeconds(60));
            using var kill = Process.Start(new ProcessStartInfo("kill", ["-TERM", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]) { UseShellExecute = false })!;
            await kill.WaitForExitAsync();
            using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            await process.WaitForExitAsync(wait.Token);
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill();
            }
        }

        var text = output.ToString();
        var stopped = StoppedLine().Match(text);
        Assert.Multiple(async () =>
        {
            Assert.That(process.ExitCode, Is.Zero, "SIGTERM is the normal way to stop following, as for run: " + text + await errors);
            Assert.That(stopped.Success, Is.True, "one 'stopped at block N' line per network: " + text);
        });
        Assert.That(long.Parse(stopped.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture), Is.EqualTo(head), "with 0 confirmations the index had reached the head before the signal");
    }
}
