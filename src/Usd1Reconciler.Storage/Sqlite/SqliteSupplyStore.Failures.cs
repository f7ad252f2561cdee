using System.Globalization;
using Dapper;

namespace Usd1Reconciler.Storage.Sqlite;

public sealed partial class SqliteSupplyStore
{
    /// <summary>
    /// Records that a pass of <paramref name="network"/> failed: keeps the time of the first failure of the outage and
    /// the latest reason. A network never registered (its first pass failed) has no data to call stale; nothing is written.
    /// </summary>
    public async Task RecordPassFailureAsync(string network, DateTimeOffset at, string reason, CancellationToken cancellationToken)
    {
        await using var connection = OpenConnection();
        await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE networks SET failing_since = COALESCE(failing_since, @At), failing_reason = @Reason WHERE name = @Network",
            new { Network = network, At = at.ToString("O", CultureInfo.InvariantCulture), Reason = reason.Length > 1000 ? reason[..1000] : reason },
            cancellationToken: cancellationToken));
    }

    /// <summary>Ends an outage: the network's passes succeed again.</summary>
    public async Task RecordPassSuccessAsync(string network, CancellationToken cancellationToken)
    {
        await using var connection = OpenConnection();
        await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE networks SET failing_since = NULL, failing_reason = NULL WHERE name = @Network AND failing_since IS NOT NULL",
            new { Network = network },
            cancellationToken: cancellationToken));
    }
}
