using System.Globalization;
using Dapper;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Usd1Reconciler.Storage.Leasing;

/// <summary>
/// The writer lease of an SQLite store: one row in <c>writer_lease</c>, read and written in one IMMEDIATE (write)
/// transaction, so two writers starting at the same instant are serialised by SQLite's write lock and exactly one
/// of them finds the lease free. It is taken before the store is opened for writing — before migrations, which are
/// writes too; that is why this class creates its table itself when it is missing (a store older than migration
/// 0005, or a new file), with the same definition migration 0005 uses.
/// A holder is gone when: on this host (same boot and pid namespace), its pid no longer runs with the recorded start
/// time (/proc); otherwise (another host or container on a shared volume, another boot), when its heartbeat is older
/// than <see cref="StaleAfter"/>. Only then is the lease taken over, and the
/// takeover is logged with the holder it replaced.
/// </summary>
public sealed class SqliteWriterLease : IWriterLease
{
    /// <summary>The table as migration 0005 defines it; kept identical (a unit test compares the two).</summary>
    internal const string TableDefinition = """
        CREATE TABLE IF NOT EXISTS writer_lease (
            id            INTEGER PRIMARY KEY CHECK (id = 1),
            token         TEXT    NOT NULL,
            pid           INTEGER NOT NULL,
            process_start TEXT    NULL,
            host          TEXT    NOT NULL,
            verb          TEXT    NOT NULL,
            since         TEXT    NOT NULL,
            heartbeat     TEXT    NOT NULL
        )
        """;

    private readonly string _connectionString;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;

    public SqliteWriterLease(string storePath, TimeProvider time, ILogger? logger = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(storePath);
        ArgumentNullException.ThrowIfNull(time);
        StorePath = Path.GetFullPath(storePath);
        _time = time;
        _logger = logger ?? NullLogger.Instance;
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = StorePath,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = true,
            DefaultTimeout = 30,
        }.ToString();
    }

    public string StorePath { get; }

    /// <summary>How often a holder renews its heartbeat. Default 10 s.</summary>
    public TimeSpan RenewEvery { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Heartbeat age after which a holder on another host counts as gone. Default 2 min: many missed renewals, so a
    /// busy or briefly paused holder is not taken over while it still writes.
    /// </summary>
    public TimeSpan StaleAfter { get; init; } = TimeSpan.FromMinutes(2);

    /// <exception cref="StoreSchemaException">The file is damaged or not an SQLite database (nothing was written to it).</exception>
    public async Task<IHeldWriterLease> AcquireAsync(string verb, CancellationToken cancellationToken)
    {
        try
        {
            return await ClaimAsync(verb, cancellationToken);
        }
        catch (SqliteException ex) when (ex.SqliteErrorCode is 11 or 26)
        {
            // SQLITE_CORRUPT (11) and SQLITE_NOTADB (26): worded as opening the store words them.
            throw new StoreSchemaException($"store {StorePath} is damaged or not an SQLite database ({ex.Message}); restore it from a backup", ex);
        }
    }

    private async Task<IHeldWriterLease> ClaimAsync(string verb, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(verb);
        var directory = Path.GetDirectoryName(StorePath);
        if (!string.IsNullOrEmpty(directory))
        {
            Directory.CreateDirectory(directory);
        }

        var now = _time.GetUtcNow();
        var me = new WriterLeaseHolder(LocalProcess.Pid, LocalProcess.Identity(LocalProcess.Pid), LocalProcess.Host, verb, now, now);
        var token = Guid.NewGuid().ToString("N");
        WriterLeaseHolder? replaced;
        await using (var connection = await OpenAsync(cancellationToken))
        {
            // The lease may be a new store's first write: create it with the store's settings (16 KiB pages, WAL),
            // which only take effect on an empty file and are what SqliteSupplyStore.Open would set.
            await connection.ExecuteAsync(new CommandDefinition("PRAGMA page_size = 16384; PRAGMA journal_mode = WAL", cancellationToken: cancellationToken));
            // Not deferred: BEGIN IMMEDIATE takes the write lock before the read, so the check and the claim are one step.
            await using var transaction = connection.BeginTransaction(deferred: false);
            await connection.ExecuteAsync(new CommandDefinition(TableDefinition, transaction: transaction, cancellationToken: cancellationToken));
            var row = await connection.QuerySingleOrDefaultAsync<LeaseRow>(new CommandDefinition(
                "SELECT token AS Token, pid AS Pid, process_start AS ProcessStart, host AS Host, verb AS Verb, since AS Since, heartbeat AS Heartbeat FROM writer_lease WHERE id = 1",
                transaction: transaction,
                cancellationToken: cancellationToken));
            replaced = row?.ToHolder();
            if (replaced is not null && IsAlive(replaced, now))
            {
                throw new WriterLeaseHeldException(StorePath, replaced);
            }

            await connection.ExecuteAsync(new CommandDefinition(
                """
                INSERT INTO writer_lease (id, token, pid, process_start, host, verb, since, heartbeat)
                VALUES (1, @Token, @Pid, @ProcessStart, @Host, @Verb, @Since, @Since)
                ON CONFLICT (id) DO UPDATE SET token = excluded.token, pid = excluded.pid, process_start = excluded.process_start,
                    host = excluded.host, verb = excluded.verb, since = excluded.since, heartbeat = excluded.heartbeat
                """,
                new { Token = token, me.Pid, me.ProcessStart, me.Host, me.Verb, Since = Text(now) },
                transaction,
                cancellationToken: cancellationToken));
            await transaction.CommitAsync(cancellationToken);
        }

        if (replaced is not null)
        {
            _logger.LogWarning(
                "store {Store}: took over the writer lease from {Holder}, last heartbeat {Heartbeat:O}: that process is gone",
                StorePath, replaced.Describe(), replaced.Heartbeat);
        }

        return new Held(this, token, me, replaced);
    }

    /// <summary>The current holder, or null when the lease is free (or the store has no lease table yet). Reads only.</summary>
    public async Task<WriterLeaseHolder?> GetHolderAsync(CancellationToken cancellationToken)
    {
        if (!File.Exists(StorePath))
        {
            return null;
        }

        await using var connection = await OpenAsync(cancellationToken);
        var exists = await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = 'writer_lease'", cancellationToken: cancellationToken));
        if (exists == 0)
        {
            return null;
        }

        var row = await connection.QuerySingleOrDefaultAsync<LeaseRow>(new CommandDefinition(
            "SELECT token AS Token, pid AS Pid, process_start AS ProcessStart, host AS Host, verb AS Verb, since AS Since, heartbeat AS Heartbeat FROM writer_lease WHERE id = 1",
            cancellationToken: cancellationToken));
        return row?.ToHolder();
    }

    private bool IsAlive(WriterLeaseHolder holder, DateTimeOffset now)
    {
        // On this host (same boot and pid namespace) /proc answers for certain; the holder may be this very process
        // (a second writer started inside it, e.g. in tests): alive too. Anything else is judged by its heartbeat.
        if (string.Equals(holder.Host, LocalProcess.Host, StringComparison.Ordinal) && LocalProcess.IsAlive(holder.Pid, holder.ProcessStart) is { } alive)
        {
            return alive;
        }

        return now - holder.Heartbeat < StaleAfter;
    }

    private async Task<SqliteConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(_connectionString);
        await connection.OpenAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition("PRAGMA busy_timeout = 10000", cancellationToken: cancellationToken));
        return connection;
    }

    private async Task<bool> RenewAsync(string token, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        return await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE writer_lease SET heartbeat = @At WHERE id = 1 AND token = @token",
            new { token, At = Text(_time.GetUtcNow()) },
            cancellationToken: cancellationToken)) == 1;
    }

    private async Task ReleaseAsync(string token)
    {
        await using var connection = await OpenAsync(CancellationToken.None);
        await connection.ExecuteAsync("DELETE FROM writer_lease WHERE id = 1 AND token = @token", new { token });
    }

    private static string Text(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture);

    private static DateTimeOffset ParseTime(string text) =>
        DateTimeOffset.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal);

    private sealed class LeaseRow
    {
        public string Token { get; init; } = "";
        public long Pid { get; init; }
        public string? ProcessStart { get; init; }
        public string Host { get; init; } = "";
        public string Verb { get; init; } = "";
        public string Since { get; init; } = "";
        public string Heartbeat { get; init; } = "";

        public WriterLeaseHolder ToHolder() => new(Pid, ProcessStart, Host, Verb, ParseTime(Since), ParseTime(Heartbeat));
    }

    /// <summary>A held lease: renews its heartbeat every <see cref="RenewEvery"/> until disposed, then releases it.</summary>
    private sealed class Held : IHeldWriterLease
    {
        private readonly SqliteWriterLease _lease;
        private readonly string _token;
        private readonly CancellationTokenSource _stop = new();
        private readonly CancellationTokenSource _lost = new();
        private readonly Task _renewals;

        public Held(SqliteWriterLease lease, string token, WriterLeaseHolder holder, WriterLeaseHolder? tookOverFrom)
        {
            _lease = lease;
            _token = token;
            Holder = holder;
            TookOverFrom = tookOverFrom;
            _renewals = RenewUntilStoppedAsync();
        }

        public WriterLeaseHolder Holder { get; }

        public WriterLeaseHolder? TookOverFrom { get; }

        public CancellationToken Lost => _lost.Token;

        public async ValueTask DisposeAsync()
        {
            await _stop.CancelAsync();
            await _renewals;
            if (!_lost.IsCancellationRequested)
            {
                await _lease.ReleaseAsync(_token);
            }

            _stop.Dispose();
            _lost.Dispose();
        }

        private async Task RenewUntilStoppedAsync()
        {
            while (!_stop.IsCancellationRequested)
            {
                try
                {
                    await Task.Delay(_lease.RenewEvery, _lease._time, _stop.Token);
                    if (!await _lease.RenewAsync(_token, _stop.Token))
                    {
                        _lease._logger.LogCritical("store {Store}: the writer lease was taken by another process; this process stops writing", _lease.StorePath);
                        await _lost.CancelAsync();
                        return;
                    }
                }
                catch (OperationCanceledException) when (_stop.IsCancellationRequested)
                {
                    return;
                }
                catch (SqliteException ex)
                {
                    // A busy or briefly unavailable store delays one renewal; the lease stays ours (the row names us)
                    // and the next renewal tries again long before StaleAfter.
                    _lease._logger.LogWarning("store {Store}: renewing the writer lease failed, retrying: {Reason}", _lease.StorePath, ex.Message);
                }
            }
        }
    }
}
