using Dapper;
using Usd1Reconciler.Core.Networks;

namespace Usd1Reconciler.Storage.Postgres;

public sealed partial class PostgresSupplyStore
{
    /// <summary>
    /// Records that a pass of <paramref name="network"/> failed: keeps the time of the first failure of the outage and
    /// the latest reason. A network never registered has no data to call stale; nothing is written.
    /// </summary>
    public async Task RecordPassFailureAsync(string network, DateTimeOffset at, string reason, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(reason);
        await using var connection = await OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var changed = await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE networks SET failing_since = COALESCE(failing_since, @At), failing_reason = @Reason WHERE name = @network",
            new { network, At = Utc(at), Reason = reason.Length > 1000 ? reason[..1000] : reason },
            transaction,
            cancellationToken: cancellationToken));
        if (changed > 0)
        {
            await FenceAsync(connection, transaction, network, cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
    }

    public async Task RecordPassSuccessAsync(string network, CancellationToken cancellationToken)
    {
        await using var connection = await OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var changed = await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE networks SET failing_since = NULL, failing_reason = NULL WHERE name = @network AND failing_since IS NOT NULL",
            new { network },
            transaction,
            cancellationToken: cancellationToken));
        if (changed > 0)
        {
            await FenceAsync(connection, transaction, network, cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
    }

    public async Task<TokenIdentity?> GetTokenIdentityAsync(string network, CancellationToken cancellationToken)
    {
        await using var connection = await OpenConnectionAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<(int? Decimals, string? Symbol)>(new CommandDefinition(
            "SELECT token_decimals, token_symbol FROM networks WHERE name = @network",
            new { network },
            cancellationToken: cancellationToken));
        return row.Decimals is { } decimals ? new TokenIdentity(decimals, row.Symbol) : null;
    }

    /// <summary>
    /// Stores <paramref name="read"/> unless an identity is stored already (first read wins, also between instances:
    /// the update only fills an empty identity), and returns what is stored now. Null for an unregistered network. A
    /// symbol first unreadable is filled in by a later read, since that adds a name and changes no figure.
    /// </summary>
    public async Task<TokenIdentity?> RecordTokenIdentityAsync(string network, TokenIdentity read, DateTimeOffset at, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(read);
        if (read.Decimals is < 0 or > TokenIdentity.MaxDecimals)
        {
            throw new ArgumentOutOfRangeException(nameof(read), read.Decimals, $"network '{network}': {read.Decimals} decimals cannot describe a uint256 amount");
        }

        await using var connection = await OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE networks SET token_decimals = @Decimals, token_symbol = @Symbol, token_identity_at = @At WHERE name = @network AND token_decimals IS NULL",
            new { network, read.Decimals, read.Symbol, At = Utc(at) },
            transaction,
            cancellationToken: cancellationToken));
        if (read.Symbol is not null)
        {
            await connection.ExecuteAsync(new CommandDefinition(
                "UPDATE networks SET token_symbol = @Symbol WHERE name = @network AND token_symbol IS NULL AND token_decimals = @Decimals",
                new { network, read.Decimals, read.Symbol },
                transaction,
                cancellationToken: cancellationToken));
        }

        var row = await connection.QuerySingleOrDefaultAsync<(int? Decimals, string? Symbol)>(new CommandDefinition(
            "SELECT token_decimals, token_symbol FROM networks WHERE name = @network",
            new { network },
            transaction,
            cancellationToken: cancellationToken));
        await transaction.CommitAsync(cancellationToken);
        return row.Decimals is { } decimals ? new TokenIdentity(decimals, row.Symbol) : null;
    }

    public async Task RecordTokenIdentityMismatchAsync(string network, string? mismatch, CancellationToken cancellationToken)
    {
        await using var connection = await OpenConnectionAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE networks SET token_identity_mismatch = @mismatch WHERE name = @network AND token_identity_mismatch IS DISTINCT FROM @mismatch",
            new { network, mismatch },
            cancellationToken: cancellationToken));
    }
}
