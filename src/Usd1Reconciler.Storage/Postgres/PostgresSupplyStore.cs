using System.Collections.Concurrent;
using System.Globalization;
using System.Numerics;
using Dapper;
using Npgsql;
using Usd1Reconciler.Core.Amounts;
using Usd1Reconciler.Core.Ingest;
using Usd1Reconciler.Core.Networks;

namespace Usd1Reconciler.Storage.Postgres;

/// <summary>
/// The PostgreSQL store (issue 14.2): the same contract as the SQLite store, for more than one instance and for
/// treasury tools that query the database. Every write is one transaction; those that commit a network's index data
/// call the <see cref="INetworkWriteFence"/> right before COMMIT. Amounts are numeric(78,0) written and read as decimal
/// text (BigInteger in between), never floating point. Provider errors leave as <see cref="StoreException"/>s
/// (<see cref="Translate"/>, applied to every call by the registration), named by <see cref="Location"/>, which holds
/// no password.
/// </summary>
public sealed partial class PostgresSupplyStore : IIndexStore, IAsyncDisposable, IDisposable
{
    private readonly NpgsqlDataSource _dataSource;
    private readonly TimeProvider _time;
    private readonly INetworkWriteFence _fence;

    // Network names by id for the fence: a name never changes once registered.
    private readonly ConcurrentDictionary<long, string> _networkNames = new();

    private PostgresSupplyStore(NpgsqlDataSource dataSource, PostgresStorageSettings settings, TimeProvider time, INetworkWriteFence fence)
    {
        _dataSource = dataSource;
        _time = time;
        _fence = fence;
        Settings = settings;
    }

    public PostgresStorageSettings Settings { get; }

    /// <summary>The fence this store's commits pass (issue 14.4), so a host given the opened store shares it.</summary>
    public INetworkWriteFence Fence => _fence;

    public string Location => Settings.Location;

    /// <summary>
    /// Connects to the database of <paramref name="settings"/> and applies pending migrations (<see cref="PostgresMigrator"/>;
    /// safe when several instances open the store at once).
    /// </summary>
    /// <exception cref="StoreSchemaException">The database carries a schema version newer than this build.</exception>
    /// <exception cref="StoreUnavailableException">The database cannot be reached or refused the login (the message has no password).</exception>
    public static PostgresSupplyStore Open(PostgresStorageSettings settings, TimeProvider time, INetworkWriteFence? fence = null)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(time);
        var builder = new NpgsqlDataSourceBuilder(settings.ConnectionString);
        builder.ConnectionStringBuilder.ApplicationName ??= "usd1rec";

        // A message must never carry the password; these are Npgsql's defaults, pinned so a connection string cannot
        // turn them on: parameter values (amounts, tx ids) stay out of error details, and the password out of
        // NpgsqlConnection.ConnectionString.
        builder.ConnectionStringBuilder.PersistSecurityInfo = false;
        builder.ConnectionStringBuilder.IncludeErrorDetail = false;
        var dataSource = builder.Build();
        var store = new PostgresSupplyStore(dataSource, settings, time, fence ?? NoNetworkWriteFence.Instance);
        try
        {
            using var connection = dataSource.OpenConnection();
            PostgresMigrator.Apply(connection, time);
        }
        catch (StoreException)
        {
            dataSource.Dispose();
            throw;
        }
        catch (Exception ex) when (ex is NpgsqlException or TimeoutException)
        {
            dataSource.Dispose();
            throw new StoreUnavailableException($"store {settings.Location} cannot be opened: {ex.Message}", ex);
        }

        return store;
    }

    public ValueTask DisposeAsync() => _dataSource.DisposeAsync();

    public void Dispose() => _dataSource.Dispose();

    /// <summary>
    /// The provider's error as the storage project's own, naming the store by <see cref="Location"/>: a constraint
    /// violation (duplicate event key, a check) is <see cref="StoreConstraintException"/>, data corruption
    /// <see cref="StoreDamagedException"/>, everything else (connection lost, timeout, server shutting down)
    /// <see cref="StoreUnavailableException"/>. Npgsql's messages hold the server's text, never the connection string.
    /// </summary>
    public StoreException? Translate(Exception exception, string operation) => exception switch
    {
        StoreException store => store,
        PostgresException { SqlState: var state } pg when state.StartsWith("23", StringComparison.Ordinal) =>
            new StoreConstraintException($"store {Location}: {operation} was refused by a constraint and rolled back: {pg.MessageText}", pg),
        PostgresException { SqlState: PostgresErrorCodes.DataCorrupted or PostgresErrorCodes.IndexCorrupted } pg =>
            new StoreDamagedException($"store {Location} reports damaged data ({pg.MessageText}); check the server and restore from a backup", pg),
        NpgsqlException or TimeoutException => new StoreUnavailableException($"store {Location}: {operation} failed: {exception.Message}", exception),
        _ => null,
    };

    internal NpgsqlConnection OpenConnection() => _dataSource.OpenConnection();

    internal ValueTask<NpgsqlConnection> OpenConnectionAsync(CancellationToken cancellationToken) => _dataSource.OpenConnectionAsync(cancellationToken);

    /// <summary>Runs the fence for <paramref name="networkId"/>'s network inside <paramref name="transaction"/>, right before its COMMIT.</summary>
    internal async Task FenceAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, long networkId, CancellationToken cancellationToken)
    {
        if (ReferenceEquals(_fence, NoNetworkWriteFence.Instance))
        {
            return;
        }

        if (!_networkNames.TryGetValue(networkId, out var name))
        {
            name = await connection.ExecuteScalarAsync<string?>(new CommandDefinition(
                "SELECT name FROM networks WHERE id = @networkId", new { networkId }, transaction, cancellationToken: cancellationToken))
                ?? throw new InvalidOperationException($"network id {networkId} is not registered in store {Location}");
            _networkNames.TryAdd(networkId, name);
        }

        await _fence.EnsureHeldAsync(connection, transaction, name, cancellationToken);
    }

    internal Task FenceAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string network, CancellationToken cancellationToken) =>
        _fence.EnsureHeldAsync(connection, transaction, network, cancellationToken).AsTask();

    public async Task<long> RegisterNetworkAsync(NetworkRegistration registration, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(registration);
        var kind = KindText(registration.Kind);
        await using var connection = await OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);

        // Two instances registering the same network at once: the unique name makes one insert win; the other reads it.
        var inserted = await connection.ExecuteScalarAsync<long?>(new CommandDefinition(
            """
            INSERT INTO networks (name, kind, chain_id, asset, registered_at) VALUES (@Name, @Kind, @ChainId, @Asset, @At)
            ON CONFLICT (name) DO NOTHING RETURNING id
            """,
            new { registration.Name, Kind = kind, registration.ChainId, registration.Asset, At = Utc(_time.GetUtcNow()) },
            transaction,
            cancellationToken: cancellationToken));
        if (inserted is { } id)
        {
            await connection.ExecuteAsync(new CommandDefinition(
                "INSERT INTO supply_totals (network_id, final_block, minted, burned, mints, burns) VALUES (@id, -1, 0, 0, 0, 0)",
                new { id }, transaction, cancellationToken: cancellationToken));
            await transaction.CommitAsync(cancellationToken);
            return id;
        }

        var existing = await connection.QuerySingleAsync<NetworkRow>(new CommandDefinition(
            "SELECT id AS Id, kind AS Kind, chain_id AS ChainId, asset AS Asset FROM networks WHERE name = @Name",
            new { registration.Name }, transaction, cancellationToken: cancellationToken));
        await transaction.CommitAsync(cancellationToken);
        if (existing.Kind != kind || existing.ChainId != registration.ChainId
            || !string.Equals(existing.Asset, registration.Asset, StringComparison.Ordinal))
        {
            throw new NetworkIdentityMismatchException(
                $"network '{registration.Name}' is stored as {existing.Kind} chain id {existing.ChainId?.ToString(CultureInfo.InvariantCulture) ?? "-"} asset {existing.Asset}, " +
                $"but the configuration says {kind} chain id {registration.ChainId?.ToString(CultureInfo.InvariantCulture) ?? "-"} asset {registration.Asset}; use another network name or another store");
        }

        return existing.Id;
    }

    public async Task<ChainTip?> GetTipAsync(long networkId, CancellationToken cancellationToken)
    {
        await using var connection = await OpenConnectionAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<TipRow>(new CommandDefinition(
            "SELECT tip_number AS Number, tip_id AS Id FROM cursors WHERE network_id = @networkId",
            new { networkId },
            cancellationToken: cancellationToken));
        return row is null ? null : new ChainTip(row.Number, row.Id);
    }

    public async Task<long> GetFinalBlockAsync(long networkId, CancellationToken cancellationToken)
    {
        await using var connection = await OpenConnectionAsync(cancellationToken);
        return await connection.ExecuteScalarAsync<long?>(new CommandDefinition(
            "SELECT final_block FROM supply_totals WHERE network_id = @networkId",
            new { networkId },
            cancellationToken: cancellationToken)) ?? -1;
    }

    public async Task<BlockHeader?> GetBlockAsync(long networkId, long number, CancellationToken cancellationToken)
    {
        await using var connection = await OpenConnectionAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<BlockRow>(new CommandDefinition(
            $"SELECT {BlockColumns} FROM blocks WHERE network_id = @networkId AND number = @number",
            new { networkId, number },
            cancellationToken: cancellationToken));
        return row?.ToHeader();
    }

    public async Task<BlockHeader?> GetNewestBlockAtOrBelowAsync(long networkId, long number, CancellationToken cancellationToken)
    {
        await using var connection = await OpenConnectionAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<BlockRow>(new CommandDefinition(
            $"SELECT {BlockColumns} FROM blocks WHERE network_id = @networkId AND number <= @number ORDER BY number DESC LIMIT 1",
            new { networkId, number },
            cancellationToken: cancellationToken));
        return row?.ToHeader();
    }

    public async Task TouchAsync(long networkId, DateTimeOffset at, CancellationToken cancellationToken)
    {
        await using var connection = await OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE cursors SET indexed_at = @At WHERE network_id = @networkId",
            new { networkId, At = Utc(at) },
            transaction,
            cancellationToken: cancellationToken));
        await FenceAsync(connection, transaction, networkId, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    /// <summary>A time as PostgreSQL's timestamptz takes it: a UTC <see cref="DateTime"/> (Npgsql refuses other offsets).</summary>
    internal static DateTime Utc(DateTimeOffset time) => time.UtcDateTime;

    internal static DateTime? Utc(DateTimeOffset? time) => time?.UtcDateTime;

    /// <summary>A timestamptz as read (UTC <see cref="DateTime"/>) back to a <see cref="DateTimeOffset"/>.</summary>
    internal static DateTimeOffset Time(DateTime value) => new(DateTime.SpecifyKind(value, DateTimeKind.Utc), TimeSpan.Zero);

    internal static DateTimeOffset? Time(DateTime? value) => value is { } v ? Time(v) : null;

    internal static BigInteger ParseSum(string text) => BigInteger.Parse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);

    internal static string SumText(BigInteger value) => value.ToString(CultureInfo.InvariantCulture);

    internal static TokenAmount ParseAmount(string text) => TokenAmount.ParseDecimal(text);

    internal static string KindText(NetworkKind kind) => kind switch
    {
        NetworkKind.Evm => "evm",
        NetworkKind.Solana => "solana",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "unknown network kind"),
    };

    internal static NetworkKind ParseKind(string text) => text switch
    {
        "evm" => NetworkKind.Evm,
        "solana" => NetworkKind.Solana,
        _ => throw new StoreSchemaException($"unknown network kind '{text}' in the store"),
    };

    private const string BlockColumns = "number AS Number, hash AS Hash, parent_hash AS ParentHash, timestamp AS Timestamp";

    private sealed class NetworkRow
    {
        public long Id { get; init; }
        public string Kind { get; init; } = "";
        public long? ChainId { get; init; }
        public string Asset { get; init; } = "";
    }

    private sealed class TipRow
    {
        public long Number { get; init; }
        public string Id { get; init; } = "";
    }

    private sealed class BlockRow
    {
        public long Number { get; init; }
        public string Hash { get; init; } = "";
        public string ParentHash { get; init; } = "";
        public DateTime Timestamp { get; init; }

        public BlockHeader ToHeader() => new(Number, Hash, ParentHash, Time(Timestamp));
    }
}
