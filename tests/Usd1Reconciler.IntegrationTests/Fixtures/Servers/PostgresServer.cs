using System.Diagnostics;
using System.Security.Cryptography;
using Npgsql;

namespace Usd1Reconciler.IntegrationTests.Fixtures;

/// <summary>
/// A private PostgreSQL 15 cluster (Debian's <c>postgresql-15</c>): <c>initdb</c> into a temp folder, the postmaster on
/// a free loopback port with its socket in that folder, stopped by PID and deleted on dispose. Password authentication
/// (scram-sha-256) over TCP, so a test can prove a password never reaches a message; <c>fsync=off</c> because a test
/// cluster's durability is the test's lifetime, never the point of the test.
/// <para>
/// PostgreSQL refuses to run as root; the CI machines run tests as root, so there <c>initdb</c> and the postmaster run
/// as the <c>postgres</c> user via <c>runuser</c> (the folder is handed to that user first).
/// </para>
/// </summary>
internal sealed class PostgresServer : IAsyncDisposable
{
    public const string BinDirectory = "/usr/lib/postgresql/15/bin";
    public const string User = "usd1rec";

    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);

    private readonly TempDirectory _directory;
    private ServerProcess? _process;

    private PostgresServer(TempDirectory directory, int port, string password)
    {
        _directory = directory;
        Port = port;
        Password = password;
    }

    public int Port { get; }

    /// <summary>The cluster owner's password (random per cluster).</summary>
    public string Password { get; }

    public bool IsRunning => _process is { HasExited: false };

    public string RecentOutput => _process?.RecentOutput ?? "";

    /// <summary>Connection string for <paramref name="database"/> as the cluster owner over loopback TCP.</summary>
    public string ConnectionString(string database = "postgres") =>
        new NpgsqlConnectionStringBuilder
        {
            Host = "127.0.0.1",
            Port = Port,
            Username = User,
            Password = Password,
            Database = database,
            Pooling = false,
        }.ConnectionString;

    public static async Task<PostgresServer> StartAsync()
    {
        if (!File.Exists(Path.Combine(BinDirectory, "initdb")))
        {
            throw new InvalidOperationException(
                $"PostgreSQL 15 is not installed in {BinDirectory}; `apt-get install --no-install-recommends postgresql` (.ci/run does)");
        }

        var directory = new TempDirectory("postgres");
        var server = new PostgresServer(directory, FreePort.Next(), Convert.ToHexString(RandomNumberGenerator.GetBytes(12)));
        try
        {
            await server.InitAsync();
            await server.RestartAsync();
            return server;
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    /// <summary>Creates an empty database and returns its connection string.</summary>
    public async Task<string> CreateDatabaseAsync(string name)
    {
        await using var connection = new NpgsqlConnection(ConnectionString());
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"CREATE DATABASE \"{name.Replace("\"", "", StringComparison.Ordinal)}\"", connection);
        await command.ExecuteNonQueryAsync();
        return ConnectionString(name);
    }

    /// <summary>An orderly shutdown (SIGINT to the postmaster: "fast" mode, clients disconnected, checkpoint written).</summary>
    public async Task StopAsync()
    {
        if (_process is not { } process)
        {
            return;
        }

        _process = null;
        if (!process.HasExited && PostmasterPid() is { } pid)
        {
            using var kill = Process.Start("kill", ["-INT", pid.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
            await kill.WaitForExitAsync();
            var waited = Stopwatch.StartNew();
            while (!process.HasExited && waited.Elapsed < StartTimeout)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(50), TimeProvider.System);
            }
        }

        await process.DisposeAsync();
    }

    /// <summary>A crash: the postmaster and every backend SIGKILLed; the next start runs crash recovery.</summary>
    public async Task KillAsync()
    {
        if (_process is not { } process)
        {
            return;
        }

        _process = null;
        // The postmaster and its backends by PID: a backend that outlived its postmaster would keep the shared memory
        // block in use and the restart would refuse to start.
        var pids = new List<int>();
        if (!process.HasExited && PostmasterPid() is { } postmaster)
        {
            pids.Add(postmaster);
            pids.AddRange(ChildrenOf(postmaster));
            foreach (var pid in pids)
            {
                await RunAsync("kill", ["-KILL", pid.ToString(System.Globalization.CultureInfo.InvariantCulture)], mayFail: true);
            }
        }

        await process.DisposeAsync();
        var waited = Stopwatch.StartNew();
        while (pids.Any(pid => Directory.Exists($"/proc/{pid}")) && waited.Elapsed < StartTimeout)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(50), TimeProvider.System);
        }
    }

    /// <summary>Starts (again) on the same port with the same data folder.</summary>
    public async Task RestartAsync()
    {
        await StopAsync();
        var data = _directory.File("data");
        var process = StartAsPostgresUser(Path.Combine(BinDirectory, "postgres"),
        [
            "-D", data,
            "-p", Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "-k", _directory.Path,
            "-c", "listen_addresses=127.0.0.1",
            "-c", "fsync=off",
            "-c", "full_page_writes=off",
            "-c", "max_connections=200",
        ]);
        _process = process;
        await WaitUntilAcceptingAsync(process);
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await StopAsync();
        }
        finally
        {
            _directory.Dispose();
        }
    }

    private async Task InitAsync()
    {
        var passwordFile = _directory.File("pwfile");
        await File.WriteAllTextAsync(passwordFile, Password + "\n");
        if (Environment.UserName == "root")
        {
            await RunAsync("chown", ["-R", "postgres:postgres", _directory.Path]);
        }

        await using var initdb = StartAsPostgresUser(Path.Combine(BinDirectory, "initdb"),
        [
            "-D", _directory.File("data"),
            "-U", User,
            "--pwfile", passwordFile,
            "--auth-host=scram-sha-256",
            "--auth-local=trust",
            "-E", "UTF8",
            "--locale=C",
            "--no-sync",
        ]);
        var waited = Stopwatch.StartNew();
        while (!initdb.HasExited)
        {
            if (waited.Elapsed > StartTimeout)
            {
                throw new TimeoutException($"initdb did not finish within {StartTimeout}:\n{initdb.RecentOutput}");
            }

            await Task.Delay(TimeSpan.FromMilliseconds(50), TimeProvider.System);
        }

        if (!File.Exists(Path.Combine(_directory.File("data"), "PG_VERSION")))
        {
            throw new InvalidOperationException($"initdb failed:\n{initdb.RecentOutput}");
        }
    }

    private async Task WaitUntilAcceptingAsync(ServerProcess process)
    {
        var waited = Stopwatch.StartNew();
        while (true)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"postgres exited before it accepted connections:\n{process.RecentOutput}");
            }

            try
            {
                await using var connection = new NpgsqlConnection(ConnectionString());
                await connection.OpenAsync();
                return;
            }
            catch (NpgsqlException) when (waited.Elapsed < StartTimeout)
            {
                // Starting up or still in crash recovery.
            }

            await Task.Delay(TimeSpan.FromMilliseconds(100), TimeProvider.System);
        }
    }

    private int? PostmasterPid()
    {
        var pidFile = Path.Combine(_directory.File("data"), "postmaster.pid");
        if (!File.Exists(pidFile))
        {
            return null;
        }

        var first = File.ReadLines(pidFile).FirstOrDefault();
        return int.TryParse(first, out var pid) ? pid : null;
    }

    private ServerProcess StartAsPostgresUser(string binary, IEnumerable<string> arguments) =>
        Environment.UserName == "root"
            ? ServerProcess.Start("/usr/sbin/runuser", ["-u", "postgres", "--", binary, .. arguments], _directory.Path)
            : ServerProcess.Start(binary, arguments, _directory.Path);

    private static List<int> ChildrenOf(int parent)
    {
        var children = new List<int>();
        foreach (var status in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(status), out var pid))
            {
                continue;
            }

            try
            {
                var parentLine = File.ReadLines(Path.Combine(status, "status")).FirstOrDefault(l => l.StartsWith("PPid:", StringComparison.Ordinal));
                if (parentLine is not null && int.TryParse(parentLine["PPid:".Length..].Trim(), out var ppid) && ppid == parent)
                {
                    children.Add(pid);
                }
            }
            catch (IOException)
            {
                // Exited while we looked.
            }
        }

        return children;
    }

    private static async Task RunAsync(string file, IEnumerable<string> arguments, bool mayFail = false)
    {
        using var process = Process.Start(file, arguments);
        await process.WaitForExitAsync();
        if (process.ExitCode != 0 && !mayFail)
        {
            throw new InvalidOperationException($"{file} {string.Join(' ', arguments)} exited with {process.ExitCode}");
        }
    }
}
