using System.Diagnostics;

namespace Usd1Reconciler.IntegrationTests.Fixtures;

/// <summary>Runs a short-lived command-line tool (promtool, amtool) to completion and returns its exit code and output.</summary>
internal static class CommandLineTool
{
    public static async Task<CommandLineResult> RunAsync(string binary, params string[] arguments)
    {
        if (!File.Exists(binary))
        {
            throw new InvalidOperationException(
                $"{binary} is not installed; `apt-get install --no-install-recommends prometheus prometheus-alertmanager` (.ci/run does)");
        }

        var start = new ProcessStartInfo(binary)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = RepoPaths.Root,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{binary} did not start");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await process.WaitForExitAsync(timeout.Token);
        return new CommandLineResult(process.ExitCode, await stdout, await stderr);
    }
}
