using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;

namespace Usd1Reconciler.Bench;

/// <summary>
/// A private PostgreSQL 15 cluster for `store-postgres` when no <c>--connection</c> is given: initdb into a temp folder,
/// the postmaster on a free loopback port (as the <c>postgres</c> user via runuser when the bench runs as root, since
/// PostgreSQL refuses root), stopped by PID and deleted on dispose. Settings are the server's defaults (fsync on):
/// the figure is meant to be what a real server does, unlike the test fixture, which turns fsync off.
/// </summary>
internal sealed class PostgresCluster : IAsyncDisposable
{
    private const string Bin = "/usr/lib/postgresql/15/bin";
    private readonly string _directory;
    private readonly Process _postmaster;

    private PostgresCluster(string directory, Process postmaster, string connectionString)
    {
        _directory = directory;
        _postmaster = postmaster;
        ConnectionString = connectionString;
    }

    public string ConnectionString { get; }

    public static async Task<PostgresCluster> StartAsync()
    {
        var directory = Directory.CreateTempSubdirectory("usd1rec-bench-pg").FullName;
        var password = Convert.ToHexString(RandomNumberGenerator.GetBytes(12));
        var port = FreePort();
        await File.WriteAllTextAsync(Path.Combine(directory, "pwfile"), password + "\n");
        var root = Environment.UserName == "root";
        if (root)
        {
            await RunAsync("chown", ["-R", "postgres:postgres", directory]);
        }

        await RunAsync(Wrap(root, Path.Combine(Bin, "initdb")), [.. WrapArgs(root, Path.Combine(Bin, "initdb")),
            "-D", Path.Combine(directory, "data"), "-U", "bench", "--pwfile", Path.Combine(directory, "pwfile"),
            "--auth-host=scram-sha-256", "--auth-local=trust", "-E", "UTF8", "--locale=C", "--no-sync"]);
        var postmaster = Start(Wrap(root, Path.Combine(Bin, "postgres")), [.. WrapArgs(root, Path.Combine(Bin, "postgres")),
            "-D", Path.Combine(directory, "data"), "-p", port.ToString(CultureInfo.InvariantCulture), "-k", directory, "-c", "listen_addresses=127.0.0.1"]);
        postmaster.OutputDataReceived += (_, _) => { };
        postmaster.ErrorDataReceived += (_, _) => { };
        postmaster.BeginOutputReadLine();
        postmaster.BeginErrorReadLine();
        var connectionString = $"Host=127.0.0.1;Port={port};Username=bench;Password={password};Database=postgres";
        var waited = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                await using var connection = new Npgsql.NpgsqlConnection(connectionString);
                await connection.OpenAsync();
                break;
            }
            catch (Npgsql.NpgsqlException) when (waited.Elapsed < TimeSpan.FromSeconds(60) && !postmaster.HasExited)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(100), TimeProvider.System);
            }
        }

        return new PostgresCluster(directory, postmaster, connectionString);
    }

    /// <summary>CPU time the postmaster and every process under it (backends, WAL writer, checkpointer) have used so far.</summary>
    public TimeSpan ServerCpu()
    {
        var pidFile = Path.Combine(_directory, "data", "postmaster.pid");
        if (!File.Exists(pidFile) || !int.TryParse(File.ReadLines(pidFile).First(), out var postmaster))
        {
            return TimeSpan.Zero;
        }

        var total = ProcessCpu.Used(postmaster) ?? TimeSpan.Zero;
        foreach (var status in Directory.EnumerateDirectories("/proc"))
        {
            if (int.TryParse(Path.GetFileName(status), out var pid) && ParentOf(status) == postmaster)
            {
                total += ProcessCpu.Used(pid) ?? TimeSpan.Zero;
            }
        }

        return total;
    }

    private static int? ParentOf(string procDirectory)
    {
        try
        {
            var line = File.ReadLines(Path.Combine(procDirectory, "status")).FirstOrDefault(l => l.StartsWith("PPid:", StringComparison.Ordinal));
            return line is not null && int.TryParse(line["PPid:".Length..].Trim(), out var parent) ? parent : null;
        }
        catch (IOException)
        {
            return null;
        }
    }

    public async ValueTask DisposeAsync()
    {
        var pidFile = Path.Combine(_directory, "data", "postmaster.pid");
        if (File.Exists(pidFile) && int.TryParse(File.ReadLines(pidFile).First(), out var pid))
        {
            await RunAsync("kill", ["-INT", pid.ToString(CultureInfo.InvariantCulture)]);
        }

        await _postmaster.WaitForExitAsync();
        _postmaster.Dispose();
        Directory.Delete(_directory, recursive: true);
    }

    private static Process Start(string file, IEnumerable<string> arguments)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        return Process.Start(start) ?? throw new InvalidOperationException($"{file} did not start");
    }

    private static string Wrap(bool root, string binary) => root ? "/usr/sbin/runuser" : binary;

    private static string[] WrapArgs(bool root, string binary) => root ? ["-u", "postgres", "--", binary] : [];

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static async Task RunAsync(string file, string[] arguments)
    {
        using var process = Start(file, arguments);
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{file} {string.Join(' ', arguments)} exited with {process.ExitCode}: {await output}{await error}");
        }
    }
}
