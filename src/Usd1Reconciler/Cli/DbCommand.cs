using System.CommandLine;
using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Usd1Reconciler.Storage;

namespace Usd1Reconciler.Cli;

/// <summary>
/// `usd1rec db migrate|backup|check`: store maintenance for operators. Each loads the configuration only to find the
/// store (<c>Storage:Path</c>, or <c>Storage:ConnectionString</c> with the PostgreSQL provider); none calls a network.
/// Backup and check only read the store and are safe while the daemon runs. On PostgreSQL, migrate serializes on the
/// migrator's advisory lock, check reads the schema and the running totals, and backup is refused naming pg_dump.
/// </summary>
internal static class DbCommand
{
    public static Command Create(Option<string> config, CliConsole console, TimeProvider time)
    {
        var migrate = new Command("migrate", "Create the store if needed, apply pending schema migrations and print the schema versions.") { config };
        migrate.SetAction((result, ct) => MigrateAsync(result.GetValue(config)!, console, time, ct));

        var destination = new Argument<string>("destination")
        {
            Description = "Backup file to write (never overwritten), or an existing folder to write usd1rec-<UTC time>.db into (-2, -3, … when that name is taken).",
        };
        var backup = new Command("backup", "Write a consistent copy of the store (VACUUM INTO; safe while the daemon writes) and verify it.") { destination, config };
        backup.SetAction(result => BackupAsync(result.GetValue(config)!, result.GetValue(destination)!, console, time));

        var check = new Command("check", "Run SQLite's full integrity check and report the schema version; non-zero exit on damage.") { config };
        check.SetAction(result => CheckAsync(result.GetValue(config)!, console, time));

        return new Command("db", "Store maintenance: migrate, backup, check.") { migrate, backup, check };
    }

    /// <summary>Migrating is a write: it holds the writer lease, and beside a running writer it is refused and changes nothing.</summary>
    public static async Task<int> MigrateAsync(string configPath, CliConsole console, TimeProvider time, CancellationToken cancellationToken)
    {
        var (context, exitCode) = await CommandContext.OpenAsync(new CommandRequest(configPath) { WriterVerb = "db migrate", OpensStore = false }, console, time, cancellationToken);
        if (context is null)
        {
            return exitCode;
        }

        await using var _ = context;
        var config = context.Config;
        try
        {
            var result = context.Services.GetRequiredService<IStoreMaintenance>().Migrate(time);
            console.WriteLine(result.AppliedNow.Count == 0
                ? $"store {config.StoreName}: schema up to date at version {result.Schema.Version}"
                : $"store {config.StoreName}: applied migration{(result.AppliedNow.Count == 1 ? "" : "s")} {Versions(result.AppliedNow)}; schema now at version {result.Schema.Version}");
            console.WriteLine($"  applied versions: {Versions(result.Schema.Applied)}");
            return ExitCodes.Ok;
        }
        catch (StoreException ex)
        {
            console.Error.WriteLine($"usd1rec: {ex.Message}");
            return ExitCodes.Failure;
        }
    }

    public static async Task<int> BackupAsync(string configPath, string destination, CliConsole console, TimeProvider time)
    {
        var (context, exitCode) = await CommandContext.OpenAsync(new CommandRequest(configPath) { OpensStore = false }, console, time, CancellationToken.None);
        if (context is null)
        {
            return exitCode;
        }

        await using var _ = context;
        var config = context.Config;

        var maintenance = context.Services.GetRequiredService<IStoreMaintenance>();
        if (MissingFolder(destination) is { } missing)
        {
            console.Error.WriteLine($"usd1rec: backup failed: the folder {missing} does not exist; create it first (e.g. `install -d -m 0700 {missing}`)");
            return ExitCodes.Failure;
        }

        try
        {
            var result = Directory.Exists(destination)
                ? BackupIntoFolder(maintenance, destination, time.GetUtcNow())
                : maintenance.Backup(destination);
            console.WriteLine($"backup written: {result.Path} ({result.Bytes} bytes, schema version {result.Schema.Version}, integrity ok)");
            return ExitCodes.Ok;
        }
        catch (Exception ex) when (ex is StoreException or IOException or UnauthorizedAccessException or NotSupportedException)
        {
            // NotSupportedException: a PostgreSQL store, backed up with pg_dump (the message gives the command).
            console.Error.WriteLine($"usd1rec: backup failed: {ex.Message}");
            return ExitCodes.Failure;
        }
    }

    /// <summary>
    /// usd1rec-&lt;UTC time&gt;.db in the folder; when a backup of the same second already holds that name (a cron job
    /// and an operator, or two runs in a row), -2, -3, … are appended instead of failing: a backup never overwrites.
    /// </summary>
    private static Storage.Maintenance.BackupResult BackupIntoFolder(IStoreMaintenance maintenance, string folder, DateTimeOffset now)
    {
        var stamp = now.UtcDateTime.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture);
        for (var attempt = 1; ; attempt++)
        {
            var target = Path.Combine(folder, attempt == 1 ? $"usd1rec-{stamp}.db" : $"usd1rec-{stamp}-{attempt}.db");
            if (File.Exists(target) || File.Exists(target + ".partial"))
            {
                continue;
            }

            try
            {
                return maintenance.Backup(target);
            }
            catch (IOException) when (File.Exists(target) && attempt < 100)
            {
                // Another backup took the name between the check and the rename: the next name.
            }
        }
    }

    /// <summary>
    /// The folder a destination needs that does not exist: the destination itself when it names a folder (ends with
    /// a separator), else its parent. SQLite would only say "unable to open database file".
    /// </summary>
    private static string? MissingFolder(string destination)
    {
        var full = Path.GetFullPath(destination);
        var folder = destination.EndsWith(Path.DirectorySeparatorChar) || destination.EndsWith(Path.AltDirectorySeparatorChar)
            ? full
            : Path.GetDirectoryName(full);
        return folder is null || Directory.Exists(folder) ? null : folder.TrimEnd(Path.DirectorySeparatorChar);
    }

    public static async Task<int> CheckAsync(string configPath, CliConsole console, TimeProvider time)
    {
        var (context, exitCode) = await CommandContext.OpenAsync(new CommandRequest(configPath) { OpensStore = false }, console, time, CancellationToken.None);
        if (context is null)
        {
            return exitCode;
        }

        await using var _ = context;
        var config = context.Config;

        var result = context.Services.GetRequiredService<IStoreMaintenance>().Check();
        foreach (var problem in result.Problems)
        {
            console.Error.WriteLine($"usd1rec: integrity: {problem}");
        }

        if (result.Schema is { } schema)
        {
            console.WriteLine($"store {config.StoreName}: integrity {(result.Problems.Count == 0 ? "ok" : "DAMAGED")}, schema version {schema.Version} (applied {Versions(schema.Applied)})");
            if (schema.Pending.Count > 0)
            {
                // Not damage: the next start (or `db migrate`) applies them.
                console.WriteLine($"  pending migrations: {Versions(schema.Pending)} (applied by the next start or `usd1rec db migrate`)");
            }

            if (schema.Unknown.Count > 0)
            {
                console.Error.WriteLine($"usd1rec: schema versions {Versions(schema.Unknown)} were written by a newer usd1rec; this build cannot use the store");
            }
        }

        return result.IsSound ? ExitCodes.Ok : ExitCodes.Failure;
    }

    private static string Versions(IReadOnlyList<int> versions) =>
        versions.Count == 0 ? "none" : string.Join(", ", versions.Select(v => v.ToString("D4", CultureInfo.InvariantCulture)));
}
