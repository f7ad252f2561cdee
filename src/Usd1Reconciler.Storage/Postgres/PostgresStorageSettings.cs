using Npgsql;

namespace Usd1Reconciler.Storage.Postgres;

/// <summary>
/// Where the PostgreSQL store lives; the host maps <c>Storage:ConnectionString</c> (or the file named by
/// <c>Storage:ConnectionStringFile</c>) to this. The connection string carries the password, so it never appears in a
/// message: <see cref="Location"/> names the store by user, host, port and database only.
/// </summary>
public sealed record PostgresStorageSettings
{
    public PostgresStorageSettings(string connectionString)
    {
        if (Problem(connectionString) is { } problem)
        {
            throw new ArgumentException(problem, nameof(connectionString));
        }

        ConnectionString = connectionString;
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        Location = Describe(builder);
    }

    /// <summary>The connection string as configured, password included: for opening connections, never for messages.</summary>
    public string ConnectionString { get; }

    /// <summary>The store as messages name it: <c>postgresql://user@host:port/database</c>, without the password.</summary>
    public string Location { get; }

    /// <summary>
    /// Why <paramref name="connectionString"/> cannot be used (null when it can), in words that never repeat any of its
    /// values: a typo next to the password would otherwise print the password.
    /// </summary>
    public static string? Problem(string? connectionString)
    {
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            return "is empty; give a PostgreSQL connection string such as Host=db;Database=usd1rec;Username=usd1rec;Password=…";
        }

        NpgsqlConnectionStringBuilder builder;
        try
        {
            builder = new NpgsqlConnectionStringBuilder(connectionString);
        }
        catch (Exception ex) when (ex is ArgumentException or FormatException or InvalidCastException or OverflowException)
        {
            // The parser's own message can quote a value; only the shape of the problem is reported.
            return "is not a valid PostgreSQL connection string (Key=Value pairs separated by ';', e.g. Host=db;Database=usd1rec;Username=usd1rec)";
        }

        if (string.IsNullOrWhiteSpace(builder.Host))
        {
            return "names no Host";
        }

        if (string.IsNullOrWhiteSpace(builder.Database))
        {
            return "names no Database (the store's tables and migrations live in that database)";
        }

        return null;
    }

    private static string Describe(NpgsqlConnectionStringBuilder builder) =>
        $"postgresql://{(string.IsNullOrEmpty(builder.Username) ? string.Empty : builder.Username + "@")}{builder.Host}:{builder.Port}/{builder.Database}";
}
