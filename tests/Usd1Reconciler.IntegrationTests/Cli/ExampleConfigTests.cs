using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.RegularExpressions;
using Usd1Reconciler.Cli;
using Usd1Reconciler.IntegrationTests.Fixtures;

namespace Usd1Reconciler.IntegrationTests.Cli;

/// <summary>
/// config/usd1rec.example.json as a new user (and the README's systemd recipe) uses it: it passes `check-config`, and
/// `usd1rec run` — the real binary, as a child process — starts with it, serves /healthz, and stops cleanly on SIGTERM.
/// A file that passes the check and is then refused by `run` is the trap this guards against.
/// </summary>
[TestFixture]
[Category("Integration")]
public sealed partial class ExampleConfigTests
{
    private static string ExampleConfig => Path.Combine(RepoPaths.Root, "config", "usd1rec.example.json");

    [Test]
    public async Task CheckConfig_ShippedExample_ValidForRunAndEveryOtherVerb()
    {
        using var output = new StringWriter();
        using var error = new StringWriter();

        var exit = await CommandLineApp.Build(new CliConsole(output, error), TimeProvider.System).Parse(["check-config", "--config", ExampleConfig]).InvokeAsync();

        Assert.That(exit, Is.EqualTo(ExitCodes.Ok), error.ToString());
        Assert.That(output.ToString(), Does.StartWith("configuration ok for run:").And.Contain("valid for: run, reconcile, index, supply, report, db"));
        Assert.That(output.ToString(), Does.Contain("feed example-custodian: File, " + Path.Combine(RepoPaths.Root, "config", "reserves.example.json") + Environment.NewLine),
            "the example's feed document ships beside it (no 'does not exist yet' note)");
    }

    [Test]
    public async Task Run_ShippedExample_StartsServesHealthzThenExitsZeroOnSigterm()
    {
        // The example as shipped, in a folder of its own: its store path is relative to the config file, and the test
        // must not leave a usd1rec.db in config/. Only the listen address is overridden (by environment, as the README
        // documents) so a daemon already on 9464 cannot collide with the test.
        using var directory = new TempDirectory("example");
        File.Copy(ExampleConfig, directory.File("usd1rec.json"));
        File.Copy(Path.Combine(RepoPaths.Root, "config", "reserves.example.json"), directory.File("reserves.example.json"));
        var start = Usd1recExecutable.StartInfo("run", "--config", directory.File("usd1rec.json"));
        start.WorkingDirectory = directory.Path;

        start.Environment["USD1REC__Http__Listen"] = "127.0.0.1:0";
        var lines = new ConcurrentQueue<string>();
        var listening = new TaskCompletionSource<Uri>(TaskCreationOptions.RunContinuationsAsynchronously);
        using var daemon = Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start");
        daemon.OutputDataReceived += (_, e) => Keep(e.Data);
        daemon.ErrorDataReceived += (_, e) => Keep(e.Data);
        daemon.BeginOutputReadLine();
        daemon.BeginErrorReadLine();
        try
        {
            var exited = daemon.WaitForExitAsync();
            var first = await Task.WhenAny(listening.Task, exited, Task.Delay(TimeSpan.FromSeconds(90), TimeProvider.System));
            Assert.That(first, Is.SameAs(listening.Task), $"`run` with the shipped example must start and listen (exit {(daemon.HasExited ? daemon.ExitCode : "none")}):\n{string.Join('\n', lines)}");

            using var http = new HttpClient();
            var health = await http.GetStringAsync(new Uri(listening.Task.Result, "/healthz"));
            Assert.That(health, Is.EqualTo("ok\n"));
            await WaitForLineAsync(lines, "feed example-custodian: accepted snapshot", TimeSpan.FromSeconds(30));

            using (var kill = Process.Start("kill", ["-TERM", daemon.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
            {
                await kill.WaitForExitAsync();
            }

            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            await daemon.WaitForExitAsync(timeout.Token);
            Assert.That(daemon.ExitCode, Is.Zero, "SIGTERM is the normal end of the daemon:\n" + string.Join('\n', lines));
        }
        finally
        {
            if (!daemon.HasExited)
            {
                daemon.Kill(entireProcessTree: true);
            }
        }

        void Keep(string? line)
        {
            if (line is null)
            {
                return;
            }

            lines.Enqueue(line);
            if (ListeningLine().Match(line) is { Success: true } match)
            {
                listening.TrySetResult(new Uri(match.Groups["url"].Value));
            }
        }
    }

    private static async Task WaitForLineAsync(ConcurrentQueue<string> lines, string text, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        while (!lines.Any(l => l.Contains(text, StringComparison.Ordinal)))
        {
            if (clock.Elapsed > timeout)
            {
                Assert.Fail($"no line containing '{text}' within {timeout.TotalSeconds} s:\n{string.Join('\n', lines)}");
            }

            await Task.Delay(TimeSpan.FromMilliseconds(200), TimeProvider.System);
        }
    }

    [GeneratedRegex(@"metrics, health and status page at (?<url>http://\S+)")]
    private static partial Regex ListeningLine();
}
