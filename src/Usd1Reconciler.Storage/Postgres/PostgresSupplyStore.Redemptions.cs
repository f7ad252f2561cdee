using System.Numerics;
using Dapper;
using Npgsql;
using Usd1Reconciler.Core.Redemptions;

namespace Usd1Reconciler.Storage.Postgres;

public sealed partial class PostgresSupplyStore
{
    /// <summary>Hourly aggregates of final events of every network from the hour of <paramref name="since"/> on: hourly rows, never events.</summary>
    public async Task<IReadOnlyList<RedemptionHour>> GetRedemptionHoursAsync(DateTimeOffset since, CancellationToken cancellationToken)
    {
        await using var connection = await OpenConnectionAsync(cancellationToken);
        var rows = await connection.QueryAsync<(string Network, DateTime Hour, string Minted, string Burned)>(new CommandDefinition(
            """
            SELECT n.name, h.hour, h.minted::text, h.burned::text FROM redemption_hours h JOIN networks n ON n.id = h.network_id
            WHERE h.hour >= @Since ORDER BY h.hour, n.name
            """,
            new { Since = Utc(RedemptionVelocity.HourOf(since)) },
            cancellationToken: cancellationToken));
        return rows.Select(r => new RedemptionHour(r.Network, Time(r.Hour), ParseSum(r.Minted), ParseSum(r.Burned))).ToList();
    }

    /// <summary>Final events per network that have no block time and so are in no hour.</summary>
    public async Task<IReadOnlyDictionary<string, long>> GetUntimedFinalEventsAsync(CancellationToken cancellationToken)
    {
        await using var connection = await OpenConnectionAsync(cancellationToken);
        var rows = await connection.QueryAsync<(string Network, long Events)>(new CommandDefinition(
            "SELECT n.name, u.events FROM redemption_untimed u JOIN networks n ON n.id = u.network_id",
            cancellationToken: cancellationToken));
        return rows.ToDictionary(r => r.Network, r => r.Events, StringComparer.Ordinal);
    }

    /// <summary>
    /// Adds events becoming final to their hours, in the caller's transaction (the one that marks them final), so the
    /// aggregate and the events never disagree. One upsert for all hours: the database adds the exact numeric sums.
    /// </summary>
    private static async Task FoldIntoHoursAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, long networkId, IEnumerable<(string Kind, BigInteger Amount, DateTimeOffset? BlockTime)> events, CancellationToken cancellationToken)
    {
        var hours = new Dictionary<DateTimeOffset, (BigInteger Minted, BigInteger Burned, long Mints, long Burns)>();
        long untimed = 0;
        foreach (var (kind, amount, blockTime) in events)
        {
            if (blockTime is not { } at)
            {
                untimed++;
                continue;
            }

            var hour = RedemptionVelocity.HourOf(at);
            var sums = hours.GetValueOrDefault(hour);
            hours[hour] = kind == "mint"
                ? (sums.Minted + amount, sums.Burned, sums.Mints + 1, sums.Burns)
                : (sums.Minted, sums.Burned + amount, sums.Mints, sums.Burns + 1);
        }

        if (hours.Count > 0)
        {
            var ordered = hours.OrderBy(h => h.Key).ToList();
            await connection.ExecuteAsync(new CommandDefinition(
                """
                INSERT INTO redemption_hours (network_id, hour, minted, burned, mints, burns)
                SELECT @networkId, h.hour, CAST(h.minted AS numeric), CAST(h.burned AS numeric), h.mints, h.burns
                FROM unnest(@Hours, @Minted, @Burned, @Mints, @Burns) AS h (hour, minted, burned, mints, burns)
                ON CONFLICT (network_id, hour) DO UPDATE SET
                    minted = redemption_hours.minted + excluded.minted, burned = redemption_hours.burned + excluded.burned,
                    mints = redemption_hours.mints + excluded.mints, burns = redemption_hours.burns + excluded.burns
                """,
                new
                {
                    networkId,
                    Hours = ordered.Select(h => Utc(h.Key)).ToArray(),
                    Minted = ordered.Select(h => SumText(h.Value.Minted)).ToArray(),
                    Burned = ordered.Select(h => SumText(h.Value.Burned)).ToArray(),
                    Mints = ordered.Select(h => h.Value.Mints).ToArray(),
                    Burns = ordered.Select(h => h.Value.Burns).ToArray(),
                },
                transaction,
                cancellationToken: cancellationToken));
        }

        if (untimed > 0)
        {
            await connection.ExecuteAsync(new CommandDefinition(
                "INSERT INTO redemption_untimed (network_id, events) VALUES (@networkId, @untimed) ON CONFLICT (network_id) DO UPDATE SET events = redemption_untimed.events + excluded.events",
                new { networkId, untimed },
                transaction,
                cancellationToken: cancellationToken));
        }
    }
}
