using System.Diagnostics;

namespace Usd1Reconciler.IntegrationTests.Fixtures;

/// <summary>
/// The `usd1rec` a test starts as a process of its own (a daemon to SIGKILL, an `index` to stop, a crash to survive).
/// .ci/test publishes it ReadyToRun for linux-x64, as every release is, and names it in <see cref="Variable"/>: a
/// precompiled daemon starts on a third of the CPU a JIT-compiled one needs, and the failover fixture alone restarts
/// one eleven times. Without the variable (a developer's `dotnet test`), the host project's build output runs.
/// </summary>
internal static class Usd1recExecutable
{
    /// <summary>The environment variable naming the published usd1rec.dll.</summary>
    public const string Variable = "USD1REC_DAEMON_DLL";

    /// <summary>The usd1rec.dll to run with `dotnet`.</summary>
    public static string Dll
    {
        get
        {
            if (Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } published)
            {
                return File.Exists(published)
                    ? published
                    : throw new InvalidOperationException($"{Variable}={published} does not exist: publish src/Usd1Reconciler first (.ci/test does) or unset it");
            }

            // The host's own build output, in the test's configuration (the copy in the test folder resolves its
            // dependencies through the test's deps.json, not the host's).
            var configuration = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar)).Parent!.Name;
            var dll = Path.Combine(RepoPaths.Root, "src", "Usd1Reconciler", "bin", configuration, "net10.0", "usd1rec.dll");
            return File.Exists(dll) ? dll : throw new InvalidOperationException($"{dll} is missing: build src/Usd1Reconciler -c {configuration} first (.ci/test builds the solution)");
        }
    }

    /// <summary>A start of `dotnet usd1rec.dll <paramref name="arguments"/>` with both streams redirected.</summary>
    public static ProcessStartInfo StartInfo(params IEnumerable<string> arguments)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        start.ArgumentList.Add(Dll);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        return start;
    }
}
