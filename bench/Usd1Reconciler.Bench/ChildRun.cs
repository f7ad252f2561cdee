using System.Diagnostics;

namespace Usd1Reconciler.Bench;

/// <summary>A finished child process: exit code, wall time, peak RSS and CPU time (sampled from /proc every 20 ms, so the CPU of its last 20 ms is missing), output.</summary>
internal sealed record ChildRun(int ExitCode, TimeSpan Wall, long PeakRssBytes, TimeSpan CpuTime, string StandardOutput, string StandardError)
{
    /// <param name="environment">Variables set for the child only (DOTNET_ runtime settings tried without a rebuild, an event pipe).</param>
    public static async Task<ChildRun> RunAsync(string file, IReadOnlyList<string> arguments, IReadOnlyDictionary<string, string>? environment = null)
    {
        var start = new ProcessStartInfo(file)
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = BenchEnvironment.Repo,
        };
        foreach (var a in arguments)
        {
            start.ArgumentList.Add(a);
        }

        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }

        var clock = Stopwatch.StartNew();
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{file} did not start");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        long peak = 0;
        var cpu = TimeSpan.Zero;
        while (!process.HasExited)
        {
            // VmHWM only grows, so the last reading before exit is the peak (within one 20 ms sample).
            peak = Math.Max(peak, BenchEnvironment.PeakRss(process.Id) ?? 0);
            cpu = ProcessCpu.Used(process.Id) is { } used && used > cpu ? used : cpu;
            await Task.Delay(TimeSpan.FromMilliseconds(20), TimeProvider.System);
        }

        await process.WaitForExitAsync();
        clock.Stop();
        return new ChildRun(process.ExitCode, clock.Elapsed, peak, cpu, await stdout, await stderr);
    }
}
