using System.Globalization;
using System.Numerics;
using Dapper;
using Microsoft.Data.Sqlite;
using Usd1Reconciler.Core.Amounts;
using Usd1Reconciler.Core.Ingest;
using Usd1Reconciler.Core.Networks;
using Usd1Reconciler.Core.Supply;

namespace Usd1Reconciler.Storage.Sqlite;

/// <summary>
/// The embedded SQLite store. WAL journal so readers (the supply command, the status page) never block the indexer;
/// synchronous=NORMAL, which in WAL mode can lose the last commits on power loss but never tears one: the cursor and
/// its events roll back together and are indexed again, so no event is lost or doubled.
/// </summary>
public sealed partial class SqliteSupplyStore : IIndexStore
{
    // SQLite error codes meaning "this file is not a usable database": SQLITE_CORRUPT (11) and SQLITE_NOTADB (26).
    internal const int SqliteCorrupt = 11;
    internal const int SqliteNotADatabase = 26;

    private readonly string _connectionString;
    private readonly TimeProvider _time;

    private SqliteSupplyStore(string connectionString, TimeProvider time)
    {
        _connectionString = connectionString;
        _time = time;
    }

    public string Path { get; private init; } = string.Empty;

    public string Location => Path;

    /// <summary>
    /// Closes the pooled connections of every store in this process, so the files can be removed or copied: the
    /// provider keeps connections open after a store is no longer used. For a process that ends its own stores (the
    /// demo at exit), never for a running daemon.
    /// </summary>
    public static void ReleasePooledConnections() => SqliteConnection.ClearAllPools();

    /// <summary>
    /// Opens (creating if needed) the store at <paramref name="path"/> and applies pending migrations, in time that
    /// does not grow with the store: the header and length are checked (<see cref="SqliteFileHeader"/>), WAL is
    /// switched on and confirmed, and the schema version is read. The full integrity check (every page) is not run
    /// here — it cost ~1.3 s per GB on every CLI call and daemon start — but by `usd1rec db check` and the scheduled
    /// integrity job. Damage the open itself touches (the schema, the migrations table) is refused naming the file.
    /// </summary>
    /// <exception cref="StoreSchemaException">The file is not a usable store (named, with the reason).</exception>
    public static SqliteSupplyStore Open(string path, TimeProvider time)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var full = System.IO.Path.GetFullPath(path);
        var directory = System.IO.Path.GetDirectoryName(full);
        if (!string.IsNullOrEmpty(directory))
        {
            Directory.CreateDirectory(directory);
        }

        SqliteFileHeader.Check(full);
        var builder = new SqliteConnectionStringBuilder
        {
            DataSource = full,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = true,
            DefaultTimeout = 30,
        };
        var store = new SqliteSupplyStore(builder.ToString(), time) { Path = full };
        try
        {
            using var connection = store.OpenConnection();
            // 16 KiB pages for a new store (an existing one keeps the size it was made with): a backfill writes every
            // page twice (WAL, then checkpoint), and with 4 KiB pages the write syscalls were over a third of the
            // store's CPU; 16 KiB pages committed ~20 % more rows/s (bench store-limit), while a small live commit
            // still writes only a few pages. Must come before the first write, so before journal_mode.
            connection.Execute("PRAGMA page_size = 16384");
            var journal = connection.ExecuteScalar<string>("PRAGMA journal_mode = WAL");
            if (!string.Equals(journal, "wal", StringComparison.OrdinalIgnoreCase))
            {
                // Without WAL every reader (supply, the status page) would block the indexer and the reverse.
                throw new StoreSchemaException($"store {full} cannot use a write-ahead log (journal mode stays '{journal}'); put it on a local file system");
            }

            SqliteMigrator.Apply(connection, time);
        }
        catch (SqliteException ex) when (ex.SqliteErrorCode is SqliteCorrupt or SqliteNotADatabase)
        {
            throw new StoreSchemaException($"store {full} is damaged or not an SQLite database ({ex.Message}); run `usd1rec db check` and restore it from a backup", ex);
        }
        catch (SqliteException ex)
        {
            throw new StoreSchemaException($"store {full} cannot be opened: {ex.Message}", ex);
        }

        return store;
    }

    /// <summary>Whether <paramref name="exception"/> is SQLite reporting a damaged file (a read touched a bad page).</summary>
    public static bool IsDamage(Exception exception) =>
        exception is StoreDamagedException or SqliteException { SqliteErrorCode: SqliteCorrupt or SqliteNotADatabase };

    /// <summary>The provider's error as the storage project's own, naming the store's path (there is no password in it).</summary>
    internal StoreException Translate(SqliteException exception, string operation) =>
        exception.SqliteErrorCode is SqliteCorrupt or SqliteNotADatabase
            ? new StoreDamagedException($"store {Path} is damaged ({exception.Message}); run `usd1rec db check` and restore it from a backup", exception)
            : new StoreUnavailableException($"store {Path}: {operation} failed: {exception.Message}", exception);

    internal SqliteConnection OpenConnection()
    {
        var connection = new SqliteConnection(_connectionString);
        connection.Open();
        connection.Execute("PRAGMA foreign_keys = ON; PRAGMA synchronous = NORMAL; PRAGMA busy_timeout = 10000;");
        return connection;
    }

    public async Task<long> RegisterNetworkAsync(NetworkRegistration registration, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(registration);
        await using var connection = OpenConnection();
        var existing = await connection.QuerySingleOrDefaultAsync<NetworkRow>(new CommandDefinition(
            "SELECT id AS Id, name AS Name, kind AS Kind, chain_id AS ChainId, asset AS Asset FROM networks WHERE name = @Name",
            new { registration.Name },
            cancellationToken: cancellationToken));
        var kind = KindText(registration.Kind);
        if (existing is not null)
        {
            if (existing.Kind != kind || existing.ChainId != registration.ChainId
                || !string.Equals(existing.Asset, registration.Asset, StringComparison.Ordinal))
            {
                throw new NetworkIdentityMismatchException(
                    $"network '{registration.Name}' is stored as {existing.Kind} chain id {existing.ChainId?.ToString(CultureInfo.InvariantCulture) ?? "-"} asset {existing.Asset}, " +
                    $"but the configuration says {kind} chain id {registration.ChainId?.ToString(CultureInfo.InvariantCulture) ?? "-"} asset {registration.Asset}; use another network name or another store");
            }

            return existing.Id;
        }

        return await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            """
            INSERT INTO networks (name, kind, chain_id, asset, registered_at) VALUES (@Name, @Kind, @ChainId, @Asset, @At);
            INSERT INTO supply_totals (network_id, final_block, minted, burned, mints, burns) VALUES (last_insert_rowid(), -1, '0', '0', 0, 0);
            SELECT id FROM networks WHERE name = @Name;
            """,
            new { registration.Name, Kind = kind, registration.ChainId, registration.Asset, At = Text(_time.GetUtcNow()) },
            cancellationToken: cancellationToken));
    }

    public async Task<ChainTip?> GetTipAsync(long networkId, CancellationToken cancellationToken)
    {
        await using var connection = OpenConnection();
        var row = await connection.QuerySingleOrDefaultAsync<TipRow>(new CommandDefinition(
            "SELECT tip_number AS Number, tip_id AS Id FROM cursors WHERE network_id = @networkId",
            new { networkId },
            cancellationToken: cancellationToken));
        return row is null ? null : new ChainTip(row.Number, row.Id);
    }

    public async Task<long> GetFinalBlockAsync(long networkId, CancellationToken cancellationToken)
    {
        await using var connection = OpenConnection();
        return await connection.ExecuteScalarAsync<long?>(new CommandDefinition(
            "SELECT final_block FROM supply_totals WHERE network_id = @networkId",
            new { networkId },
            cancellationToken: cancellationToken)) ?? -1;
    }

    public async Task<BlockHeader?> GetBlockAsync(long networkId, long number, CancellationToken cancellationToken)
    {
        await using var connection = OpenConnection();
        var row = await connection.QuerySingleOrDefaultAsync<BlockRow>(new CommandDefinition(
            "SELECT number AS Number, hash AS Hash, parent_hash AS ParentHash, timestamp AS Timestamp FROM blocks WHERE network_id = @networkId AND number = @number",
            new { networkId, number },
            cancellationToken: cancellationToken));
        return row is null ? null : new BlockHeader(row.Number, row.Hash, row.ParentHash, ParseTime(row.Timestamp));
    }

    public async Task TouchAsync(long networkId, DateTimeOffset at, CancellationToken cancellationToken)
    {
        await using var connection = OpenConnection();
        await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE cursors SET indexed_at = @At WHERE network_id = @networkId",
            new { networkId, At = Text(at) },
            cancellationToken: cancellationToken));
    }

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

    internal static string Text(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture);

    internal static DateTimeOffset ParseTime(string text) =>
        DateTimeOffset.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal);

    internal static BigInteger ParseSum(string text) => BigInteger.Parse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);

    internal static string SumText(BigInteger value) => value.ToString(CultureInfo.InvariantCulture);

    internal static string KindText(SupplyEventKind kind) => kind == SupplyEventKind.Mint ? "mint" : "burn";

    private sealed class NetworkRow
    {
        public long Id { get; init; }
        public string Name { get; init; } = "";
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
        public string Timestamp { get; init; } = "";
    }

    internal static TokenAmount ParseAmount(string text) => TokenAmount.ParseDecimal(text);
}
