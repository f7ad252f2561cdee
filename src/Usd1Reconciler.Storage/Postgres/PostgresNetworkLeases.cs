using System.Collections.Concurrent;
using System.Data.Common;
using System.Globalization;
using Dapper;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using Usd1Reconciler.Storage.Leasing;

namespace Usd1Reconciler.Storage.Postgres;

/// <summary>
/// Exactly one writer per network on a shared PostgreSQL store (issue 14.4): a row per network in
/// <c>network_leases</c> (migration 0050) names the holder, its fencing token and its expiry — all in database time
/// (<c>clock_timestamp()</c>), so no instance's own clock decides who holds.
/// <list type="bullet">
/// <item><b>Taking</b> a lease is one statement that succeeds only when the row is missing, expired, or this very
/// instance's (a restart under a stable <c>Instance:Id</c>); every acquisition increments the fencing token.</item>
/// <item><b>Renewing</b> happens at half the lease length and succeeds only for this instance's current token while it
/// has not expired. A renewal that finds the lease taken ends the tenure at once.</item>
/// <item><b>Losing it stops writes first.</b> A tenure ends locally at a deadline measured from the moment the last
/// successful renewal was <i>sent</i> (so before the database stamped it), minus a margin: the local deadline
/// always falls before the database expiry, so this instance has stopped writing before anyone else can take the
/// lease — also when it cannot reach the database at all.</item>
/// <item><b>The fence</b> (<see cref="EnsureHeldAsync"/>) runs inside each commit of a network's data: it reads the
/// lease row for this instance's token, unexpired, <c>FOR SHARE</c>. The row lock makes a concurrent takeover (an
/// UPDATE of that row) wait until the commit is over, so the check and the commit are one step; a writer whose lease
/// was taken — paused, partitioned, reconnected — finds no row and its transaction rolls back.</item>
/// </list>
/// A clean stop releases the held leases (expiry set to now), so a standby takes over at its next attempt instead of
/// waiting out the length. Requirements: see docs/operations-ha.md (clock rate, connection timeouts).
/// </summary>
public sealed class PostgresNetworkLeases : INetworkWriterLeases, IAsyncDisposable
{
    /// <summary>Default lease length: a standby takes over within it (plus one attempt) after the holder dies.</summary>
    public static readonly TimeSpan DefaultLength = TimeSpan.FromSeconds(6);

    private readonly NpgsqlDataSource _dataSource;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly string _location;
    private readonly ConcurrentDictionary<string, Tenure> _tenures = new(StringComparer.Ordinal);

    public PostgresNetworkLeases(PostgresStorageSettings settings, string instanceId, TimeProvider time, ILogger? logger = null, TimeSpan? length = null)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentException.ThrowIfNullOrWhiteSpace(instanceId);
        ArgumentNullException.ThrowIfNull(time);
        Length = length ?? DefaultLength;
        if (Length < TimeSpan.FromSeconds(2))
        {
            throw new ArgumentOutOfRangeException(nameof(length), Length, "a network writer lease must be at least 2 s long");
        }

        InstanceId = instanceId;
        _time = time;
        _logger = logger ?? NullLogger.Instance;
        _location = settings.Location;
        // Lease traffic gets its own small pool with short timeouts: a renewal that hangs on a dead connection must
        // fail well within the lease (then the next attempt opens a fresh connection), never wait for TCP to notice.
        var seconds = Math.Max(1, (int)(Length.TotalSeconds / 4));
        var builder = new NpgsqlConnectionStringBuilder(settings.ConnectionString)
        {
            Timeout = seconds,
            CommandTimeout = seconds,
            CancellationTimeout = 500,
            KeepAlive = seconds,
            MaxPoolSize = 4,
            ApplicationName = "usd1rec-lease " + instanceId,
        };
        _dataSource = NpgsqlDataSource.Create(builder.ConnectionString);
    }

    public string InstanceId { get; }

    /// <summary>How long a lease lasts past its last renewal, in database time. Default 8 s.</summary>
    public TimeSpan Length { get; }

    /// <summary>Renewal interval: half the length, so one renewal may fail and the next still comes in time.</summary>
    public TimeSpan RenewEvery => Length / 2;

    /// <summary>
    /// How much earlier than the database expiry a tenure ends locally: a fifth of the length, for the difference
    /// between this host's monotonic clock rate and the database's, and for scheduling delay in stopping the writers.
    /// </summary>
    public TimeSpan LocalMargin => Length / 5;

    public bool IsHeld(string network) => _tenures.TryGetValue(network, out var tenure) && !tenure.Ended.IsCancellationRequested;

    public CancellationToken HeldToken(string network) =>
        _tenures.TryGetValue(network, out var tenure) ? tenure.Ended.Token : new CancellationToken(canceled: true);

    /// <summary>The fencing token of the tenure held now, or null.</summary>
    public long? FencingToken(string network) => _tenures.TryGetValue(network, out var tenure) && !tenure.Ended.IsCancellationRequested ? tenure.Token : null;

    /// <summary>
    /// One attempt to take <paramref name="network"/>'s lease: succeeds when it is free, expired or this instance's.
    /// On success this instance holds it (a new tenure, the token incremented); otherwise the holder and how long its
    /// lease still runs are returned.
    /// </summary>
    public async Task<NetworkLeaseAttempt> TryAcquireAsync(string network, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(network);
        var sent = _time.GetTimestamp();
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
        var row = await connection.QuerySingleAsync<AttemptRow>(new CommandDefinition(
            """
            WITH previous AS (
                SELECT holder, fencing_token, expires_at FROM network_leases WHERE network = @network
            ), taken AS (
                INSERT INTO network_leases AS l (network, holder, fencing_token, acquired_at, renewed_at, expires_at)
                VALUES (@network, @me, 1, clock_timestamp(), clock_timestamp(), clock_timestamp() + @length)
                ON CONFLICT (network) DO UPDATE
                    SET holder = excluded.holder, fencing_token = l.fencing_token + 1, acquired_at = excluded.acquired_at,
                        renewed_at = excluded.renewed_at, expires_at = excluded.expires_at
                    WHERE l.expires_at <= clock_timestamp() OR l.holder = @me
                RETURNING fencing_token, expires_at
            )
            SELECT true AS Acquired, t.fencing_token AS Token, @me AS Holder,
                   (SELECT p.holder FROM previous p) AS PreviousHolder,
                   extract(epoch FROM t.expires_at - clock_timestamp())::float8 AS RemainingSeconds
            FROM taken t
            UNION ALL
            SELECT false, p.fencing_token, p.holder, p.holder, extract(epoch FROM p.expires_at - clock_timestamp())::float8
            FROM previous p WHERE NOT EXISTS (SELECT 1 FROM taken)
            """,
            new { network, me = InstanceId, length = Length },
            cancellationToken: cancellationToken));
        var remaining = TimeSpan.FromSeconds(Math.Max(0, row.RemainingSeconds));
        if (!row.Acquired)
        {
            return new NetworkLeaseAttempt(false, row.Token, row.Holder, remaining);
        }

        var tenure = new Tenure(row.Token, new CancellationTokenSource(LocalDeadlineFrom(sent), _time));
        if (_tenures.TryGetValue(network, out var old))
        {
            old.Ended.Cancel();
        }

        _tenures[network] = tenure;
        if (row.PreviousHolder is { } previous && !string.Equals(previous, InstanceId, StringComparison.Ordinal))
        {
            _logger.LogWarning(
                "network {Network}: instance {Instance} took over the writer lease from {Previous} (fencing token {Token}, store {Store})",
                network, InstanceId, previous, row.Token, _location);
        }
        else
        {
            _logger.LogInformation(
                "network {Network}: instance {Instance} holds the writer lease (fencing token {Token}, store {Store})", network, InstanceId, row.Token, _location);
        }

        return new NetworkLeaseAttempt(true, row.Token, InstanceId, remaining);
    }

    /// <summary>
    /// Renews the held tenure of <paramref name="network"/>; false (and the tenure ended) when the database no longer
    /// has it as this instance's unexpired lease. Throws on a database error (the tenure then ends at its deadline).
    /// </summary>
    public async Task<bool> RenewAsync(string network, CancellationToken cancellationToken)
    {
        if (!_tenures.TryGetValue(network, out var tenure) || tenure.Ended.IsCancellationRequested)
        {
            return false;
        }

        var sent = _time.GetTimestamp();
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
        var renewed = await connection.ExecuteAsync(new CommandDefinition(
            """
            UPDATE network_leases SET renewed_at = clock_timestamp(), expires_at = clock_timestamp() + @length
            WHERE network = @network AND holder = @me AND fencing_token = @token AND expires_at > clock_timestamp()
            """,
            new { network, me = InstanceId, token = tenure.Token, length = Length },
            cancellationToken: cancellationToken)) == 1;
        if (!renewed)
        {
            End(network, tenure, "the database no longer has it as this instance's: it expired or was taken");
            return false;
        }

        // CancelAfter moves the local deadline only while the tenure still runs; once ended it stays ended.
        tenure.Ended.CancelAfter(LocalDeadlineFrom(sent));
        return true;
    }

    /// <summary>Ends the tenure (writers stop first), then sets the lease's expiry to now so another instance may take it at once.</summary>
    public async Task ReleaseAsync(string network, CancellationToken cancellationToken)
    {
        if (!_tenures.TryRemove(network, out var tenure))
        {
            return;
        }

        var wasHeld = !tenure.Ended.IsCancellationRequested;
        tenure.Ended.Cancel();
        if (!wasHeld)
        {
            return;
        }

        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE network_leases SET expires_at = clock_timestamp() WHERE network = @network AND holder = @me AND fencing_token = @token",
            new { network, me = InstanceId, token = tenure.Token },
            cancellationToken: cancellationToken));
        _logger.LogInformation("network {Network}: instance {Instance} released the writer lease (fencing token {Token})", network, InstanceId, tenure.Token);
    }

    /// <summary>The lease row as the database has it now (holder, token, remaining time), or null when never taken.</summary>
    public async Task<NetworkLeaseAttempt?> ReadAsync(string network, CancellationToken cancellationToken)
    {
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<AttemptRow>(new CommandDefinition(
            """
            SELECT expires_at > clock_timestamp() AS Acquired, fencing_token AS Token, holder AS Holder,
                   extract(epoch FROM expires_at - clock_timestamp())::float8 AS RemainingSeconds
            FROM network_leases WHERE network = @network
            """,
            new { network },
            cancellationToken: cancellationToken));
        return row is null ? null : new NetworkLeaseAttempt(row.Acquired, row.Token, row.Holder, TimeSpan.FromSeconds(Math.Max(0, row.RemainingSeconds)));
    }

    /// <exception cref="NetworkLeaseLostException">This instance does not hold the network's lease now: the transaction must roll back.</exception>
    public async ValueTask EnsureHeldAsync(DbConnection connection, DbTransaction transaction, string network, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(connection);
        if (!_tenures.TryGetValue(network, out var tenure) || tenure.Ended.IsCancellationRequested)
        {
            throw new NetworkLeaseLostException(network, InstanceId, "not held by this instance now");
        }

        var held = await connection.ExecuteScalarAsync<long?>(new CommandDefinition(
            """
            SELECT fencing_token FROM network_leases
            WHERE network = @network AND holder = @me AND fencing_token = @token AND expires_at > clock_timestamp()
            FOR SHARE
            """,
            new { network, me = InstanceId, token = tenure.Token },
            transaction,
            cancellationToken: cancellationToken));
        if (held is null)
        {
            End(network, tenure, "the commit found it expired or taken");
            throw new NetworkLeaseLostException(
                network, InstanceId, string.Create(CultureInfo.InvariantCulture, $"fencing token {tenure.Token} is no longer the network's unexpired lease"));
        }
    }

    public async Task<Task> StartAsync(IReadOnlyList<string> networks, CancellationToken stopping)
    {
        ArgumentNullException.ThrowIfNull(networks);
        foreach (var network in networks)
        {
            try
            {
                using var attempt = CancellationTokenSource.CreateLinkedTokenSource(stopping);
                attempt.CancelAfter(RenewEvery);
                var result = await TryAcquireAsync(network, attempt.Token);
                if (!result.Acquired)
                {
                    _logger.LogInformation(
                        "network {Network}: standby; instance {Holder} holds the writer lease for {Remaining:F1} s more (fencing token {Token})",
                        network, result.Holder, result.Remaining.TotalSeconds, result.Token);
                }
            }
            catch (Exception ex) when ((ex is NpgsqlException or TimeoutException or OperationCanceledException) && !stopping.IsCancellationRequested)
            {
                _logger.LogWarning("network {Network}: the writer lease cannot be taken on {Store} now ({Reason}); retrying in the background", network, _location, ex.Message);
            }
        }

        return RunAsync(networks, stopping);
    }

    public async Task RunAsync(IReadOnlyList<string> networks, CancellationToken stopping)
    {
        ArgumentNullException.ThrowIfNull(networks);
        try
        {
            await Task.WhenAll(networks.Select(n => KeepAsync(n, stopping)));
        }
        finally
        {
            foreach (var network in networks)
            {
                try
                {
                    using var timeout = new CancellationTokenSource(RenewEvery, _time);
                    await ReleaseAsync(network, timeout.Token);
                }
                catch (Exception ex) when (ex is NpgsqlException or OperationCanceledException or TimeoutException)
                {
                    // The tenure has ended locally already; the lease then simply runs out in the database.
                    _logger.LogWarning("network {Network}: releasing the writer lease failed ({Reason}); it expires within {Length}", network, ex.Message, Length);
                }
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var tenure in _tenures.Values)
        {
            tenure.Ended.Cancel();
        }

        await _dataSource.DisposeAsync();
    }

    /// <summary>
    /// Renews while held, otherwise tries to take the lease as soon as the holder's runs out. A database error is
    /// retried quickly; the tenure meanwhile ends by itself at its local deadline.
    /// </summary>
    private async Task KeepAsync(string network, CancellationToken stop)
    {
        var failing = false;
        while (!stop.IsCancellationRequested)
        {
            TimeSpan wait;
            try
            {
                if (IsHeld(network))
                {
                    using var attempt = CancellationTokenSource.CreateLinkedTokenSource(stop, HeldToken(network));
                    wait = await RenewAsync(network, attempt.Token) ? RenewEvery : TimeSpan.Zero;
                }
                else
                {
                    if (_tenures.TryGetValue(network, out var ended) && _tenures.TryRemove(new KeyValuePair<string, Tenure>(network, ended)))
                    {
                        _logger.LogCritical(
                            "network {Network}: instance {Instance} lost the writer lease (fencing token {Token}): it was not renewed in time; this instance writes nothing for the network until it holds the lease again",
                            network, InstanceId, ended.Token);
                    }

                    using var attempt = CancellationTokenSource.CreateLinkedTokenSource(stop);
                    attempt.CancelAfter(RenewEvery);
                    var result = await TryAcquireAsync(network, attempt.Token);
                    // Not acquired: try again right when the holder's lease runs out (a little after, for the round trip).
                    wait = result.Acquired ? RenewEvery : Clamp(result.Remaining + TimeSpan.FromMilliseconds(50), TimeSpan.FromMilliseconds(100), RenewEvery);
                }

                if (failing)
                {
                    failing = false;
                    _logger.LogInformation("network {Network}: the writer lease is reachable again on {Store}", network, _location);
                }
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                // Stopping while a renewal or an attempt was in flight: a stop, not a failure (RunAsync releases next).
                return;
            }
            catch (Exception ex) when ((ex is NpgsqlException or TimeoutException or OperationCanceledException or InvalidOperationException) && !stop.IsCancellationRequested)
            {
                if (!failing)
                {
                    failing = true;
                    _logger.LogWarning("network {Network}: the writer lease cannot be renewed or taken on {Store} ({Reason}); retrying", network, _location, ex.Message);
                }

                wait = Clamp(RenewEvery / 4, TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(1));
            }

            try
            {
                await Task.Delay(wait, _time, stop);
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                return;
            }
        }
    }

    private TimeSpan LocalDeadlineFrom(long sentTimestamp)
    {
        var left = Length - LocalMargin - _time.GetElapsedTime(sentTimestamp);
        return left > TimeSpan.Zero ? left : TimeSpan.FromTicks(1);
    }

    private void End(string network, Tenure tenure, string reason)
    {
        if (tenure.Ended.IsCancellationRequested)
        {
            return;
        }

        tenure.Ended.Cancel();
        _tenures.TryRemove(new KeyValuePair<string, Tenure>(network, tenure));
        _logger.LogCritical(
            "network {Network}: instance {Instance} lost the writer lease (fencing token {Token}): {Reason}; this instance writes nothing for the network until it holds the lease again",
            network, InstanceId, tenure.Token, reason);
    }

    private static TimeSpan Clamp(TimeSpan value, TimeSpan min, TimeSpan max) => value < min ? min : value > max ? max : value;

    /// <summary>One tenure: a fencing token and the token source that ends it (at the local deadline, or when lost).</summary>
    private sealed record Tenure(long Token, CancellationTokenSource Ended);

    private sealed class AttemptRow
    {
        public bool Acquired { get; init; }
        public long Token { get; init; }
        public string Holder { get; init; } = "";
        public string? PreviousHolder { get; init; }
        public double RemainingSeconds { get; init; }
    }
}
