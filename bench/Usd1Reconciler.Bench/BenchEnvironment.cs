using System.Diagnostics;
using System.Globalization;

namespace Usd1Reconciler.Bench;

/// <summary>Where the repository, the devnet tools (Usd1Reconciler.Devnet) and the Release build of usd1rec are, and how to report a figure.</summary>
internal static class BenchEnvironment
{
    public static string Repo { get; } = FindRepo();

    private static readonly Lazy<DevnetToolchain> DevnetTools = new(() => DevnetToolchain.Locate(Repo));

    /// <summary>The repository's devnet tools, for Usd1Reconciler.Devnet's launchers (the benchmarks start no devnet themselves).</summary>
    public static DevnetToolchain Devnet => DevnetTools.Value;

    public static string Cast => Path.Combine(Repo, "tools/devnet/node_modules/@foundry-rs/cast-linux-amd64/bin/cast");

    public static string Usd1recDll => Path.Combine(Repo, "src/Usd1Reconciler/bin/Release/net10.0/usd1rec.dll");

    public static string CacheDirectory => Path.Combine(Repo, "bench/.cache");

    public static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    /// <summary>Builds the daemon in Release unless it is there already (pass --rebuild to force).</summary>
    public static void EnsureReleaseBuild(bool rebuild)
    {
        if (File.Exists(Usd1recDll) && !rebuild)
        {
            return;
        }

        Console.WriteLine("building usd1rec (Release)…");
        Run("dotnet", ["build", Path.Combine(Repo, "src/Usd1Reconciler"), "-c", "Release", "-v", "q", "-nologo"]);
    }

    /// <summary>Runs a tool to completion, failing loudly on a non-zero exit.</summary>
    public static void Run(string file, IReadOnlyList<string> arguments, string? workingDirectory = null)
    {
        var start = new ProcessStartInfo(file) { UseShellExecute = false, WorkingDirectory = workingDirectory ?? Repo };
        foreach (var a in arguments)
        {
            start.ArgumentList.Add(a);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{file} did not start");
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{file} {string.Join(' ', arguments)} exited with {process.ExitCode}");
        }
    }

    public static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>Peak resident set size (VmHWM) of a live process in bytes, or null once it has gone.</summary>
    public static long? PeakRss(int pid)
    {
        try
        {
            foreach (var line in File.ReadLines($"/proc/{pid}/status"))
            {
                if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
                {
                    return long.Parse(line.AsSpan(6).Trim().TrimEnd("kB").Trim(), CultureInfo.InvariantCulture) * 1024;
                }
            }
        }
        catch (IOException)
        {
        }

        return null;
    }

    /// <summary>The kB fields of /proc/&lt;pid&gt;/status (VmRSS, VmHWM, RssAnon, RssFile, …) in bytes, or null once the process has gone.</summary>
    public static IReadOnlyDictionary<string, long>? ProcStatus(int pid)
    {
        try
        {
            var fields = new Dictionary<string, long>(StringComparer.Ordinal);
            foreach (var line in File.ReadLines($"/proc/{pid}/status"))
            {
                var colon = line.IndexOf(':', StringComparison.Ordinal);
                var value = line.AsSpan(colon + 1).Trim();
                if (colon > 0 && value.EndsWith(" kB", StringComparison.Ordinal)
                    && long.TryParse(value[..^3], NumberStyles.None, CultureInfo.InvariantCulture, out var kilobytes))
                {
                    fields[line[..colon]] = kilobytes * 1024;
                }
            }

            return fields;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    public static double Median(IReadOnlyList<double> values) => Percentile(values, 0.5);

    /// <summary>Nearest-rank percentile.</summary>
    public static double Percentile(IReadOnlyList<double> values, double p)
    {
        var sorted = values.Order().ToArray();
        var rank = (int)Math.Ceiling(p * sorted.Length);
        return sorted[Math.Clamp(rank - 1, 0, sorted.Length - 1)];
    }

    private static string FindRepo()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Usd1Reconciler.sln")))
            {
                return dir.FullName;
            }
        }

        return Directory.GetCurrentDirectory();
    }

    /// <summary>Every `--env NAME=VALUE`; only DOTNET_ runtime settings, the point being to try them without a rebuild.</summary>
    public static Dictionary<string, string> ChildEnvironment(IReadOnlyList<string> options)
    {
        var environment = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < options.Count; i++)
        {
            if (options[i] != "--env")
            {
                continue;
            }

            var pair = i + 1 < options.Count ? options[i + 1].Split('=', 2) : [];
            if (pair.Length != 2 || !pair[0].StartsWith("DOTNET_", StringComparison.Ordinal))
            {
                throw new ArgumentException("--env takes DOTNET_NAME=VALUE (a .NET runtime setting for the usd1rec child)");
            }

            environment[pair[0]] = pair[1];
        }

        return environment;
    }
}
