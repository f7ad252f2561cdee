using Dapper;
using Usd1Reconciler.Core.Networks;

namespace Usd1Reconciler.Storage.Sqlite;

public sealed partial class SqliteSupplyStore
{
    /// <summary>The stored token identity of <paramref name="network"/>, or null when never read (or the network is not registered).</summary>
    public async Task<TokenIdentity?> GetTokenIdentityAsync(string network, CancellationToken cancellationToken)
    {
        await using var connection = OpenConnection();
        var row = await connection.QuerySingleOrDefaultAsync<(long? Decimals, string? Symbol)>(new CommandDefinition(
            "SELECT token_decimals, token_symbol FROM networks WHERE name = @network",
            new { network },
            cancellationToken: cancellationToken));
        return row.Decimals is { } decimals ? new TokenIdentity((int)decimals, row.Symbol) : null;
    }

    /// <summary>
    /// Stores <paramref name="read"/> as the network's token identity unless one is stored already (first read wins;
    /// it is never overwritten), and returns what is stored now — the caller compares it with what it read. Null when
    /// the network is not registered yet.
    /// A symbol first unreadable is filled in by a later read, since that adds a name and changes no figure.
    /// </summary>
    public async Task<TokenIdentity?> RecordTokenIdentityAsync(string network, TokenIdentity read, DateTimeOffset at, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(read);
        if (read.Decimals is < 0 or > TokenIdentity.MaxDecimals)
        {
            throw new ArgumentOutOfRangeException(nameof(read), read.Decimals, $"network '{network}': {read.Decimals} decimals cannot describe a uint256 amount");
        }

        await using var connection = OpenConnection();
        await using var transaction = connection.BeginTransaction(deferred: false);
        await connection.ExecuteAsync(new CommandDefinition(
            """
            UPDATE networks SET token_decimals = @Decimals, token_symbol = @Symbol, token_identity_at = @At
            WHERE name = @network AND token_decimals IS NULL;
            UPDATE networks SET token_symbol = @Symbol
            WHERE name = @network AND token_symbol IS NULL AND token_decimals = @Decimals AND @Symbol IS NOT NULL;
            """,
            new { network, read.Decimals, read.Symbol, At = Text(at) },
            transaction,
            cancellationToken: cancellationToken));
        var row = await connection.QuerySingleOrDefaultAsync<(long? Decimals, string? Symbol)>(new CommandDefinition(
            "SELECT token_decimals, token_symbol FROM networks WHERE name = @network",
            new { network },
            transaction,
            cancellationToken: cancellationToken));
        await transaction.CommitAsync(cancellationToken);
        return row.Decimals is { } decimals ? new TokenIdentity((int)decimals, row.Symbol) : null;
    }

    /// <summary>Records (or, with null, clears) what the latest read of the chain found different from the stored token identity.</summary>
    public async Task RecordTokenIdentityMismatchAsync(string network, string? mismatch, CancellationToken cancellationToken)
    {
        await using var connection = OpenConnection();
        await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE networks SET token_identity_mismatch = @mismatch WHERE name = @network AND token_identity_mismatch IS NOT @mismatch",
            new { network, mismatch },
            cancellationToken: cancellationToken));
    }
}
