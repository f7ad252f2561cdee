using System.Numerics;
using Dapper;
using Microsoft.Data.Sqlite;
using Usd1Reconciler.Core.Redemptions;

namespace Usd1Reconciler.Storage.Sqlite;

public sealed partial class SqliteSupplyStore : IRedemptionHistory
{
    /// <summary>Hourly aggregates of final events of every network from <paramref name="since"/> (hour start) on: hourly rows, never events.</summary>
    public async Task<IReadOnlyList<RedemptionHour>> GetRedemptionHoursAsync(DateTimeOffset since, CancellationToken cancellationToken)
    {
        await using var connection = OpenConnection();
        var rows = await connection.QueryAsync<(string Network, string Hour, string Minted, string Burned)>(new CommandDefinition(
            """
            SELECT n.name, h.hour, h.minted, h.burned FROM redemption_hours h JOIN networks n ON n.id = h.network_id
            WHERE h.hour >= @Since ORDER BY h.hour, n.name
            """,
            new { Since = HourText(RedemptionVelocity.HourOf(since)) },
            cancellationToken: cancellationToken));
        return rows.Select(r => new RedemptionHour(r.Network, ParseTime(r.Hour), ParseSum(r.Minted), ParseSum(r.Burned))).ToList();
    }

    /// <summary>Final events per network that have no block time and so are in no hour.</summary>
    public async Task<IReadOnlyDictionary<string, long>> GetUntimedFinalEventsAsync(CancellationToken cancellationToken)
    {
        await using var connection = OpenConnection();
        var rows = await connection.QueryAsync<(string Network, long Events)>(new CommandDefinition(
            "SELECT n.name, u.events FROM redemption_untimed u JOIN networks n ON n.id = u.network_id",
            cancellationToken: cancellationToken));
        return rows.ToDictionary(r => r.Network, r => r.Events, StringComparer.Ordinal);
    }

    internal static string HourText(DateTimeOffset hour) => Text(hour);

    /// <summary>
    /// Adds events becoming final to their hours, in the caller's transaction (the one that marks them final), so the
    /// aggregate and the events never disagree, whatever instant a crash hits.
    /// </summary>
    internal static void FoldIntoHours(SqliteConnection connection, SqliteTransaction transaction, long networkId, IEnumerable<(string Kind, BigInteger Amount, DateTimeOffset? BlockTime)> events)
    {
        var hours = new Dictionary<string, HourSums>(StringComparer.Ordinal);
        long untimed = 0;
        foreach (var (kind, amount, blockTime) in events)
        {
            if (blockTime is not { } at)
            {
                untimed++;
                continue;
            }

            var key = HourText(RedemptionVelocity.HourOf(at));
            if (!hours.TryGetValue(key, out var sums))
            {
                sums = new HourSums();
                hours.Add(key, sums);
            }

            sums.Add(kind == "mint", amount);
        }

        foreach (var (hour, sums) in hours)
        {
            var existing = connection.QuerySingleOrDefault<(string Minted, string Burned, long Mints, long Burns)?>(
                "SELECT minted, burned, mints, burns FROM redemption_hours WHERE network_id = @networkId AND hour = @hour",
                new { networkId, hour },
                transaction);
            var minted = sums.Minted + (existing is { } e1 ? ParseSum(e1.Minted) : BigInteger.Zero);
            var burned = sums.Burned + (existing is { } e2 ? ParseSum(e2.Burned) : BigInteger.Zero);
            connection.Execute(
                """
                INSERT INTO redemption_hours (network_id, hour, minted, burned, mints, burns) VALUES (@networkId, @hour, @Minted, @Burned, @Mints, @Burns)
                ON CONFLICT (network_id, hour) DO UPDATE SET minted = excluded.minted, burned = excluded.burned, mints = excluded.mints, burns = excluded.burns
                """,
                new
                {
                    networkId,
                    hour,
                    Minted = SumText(minted),
                    Burned = SumText(burned),
                    Mints = sums.Mints + (existing?.Mints ?? 0),
                    Burns = sums.Burns + (existing?.Burns ?? 0),
                },
                transaction);
        }

        if (untimed > 0)
        {
            connection.Execute(
                "INSERT INTO redemption_untimed (network_id, events) VALUES (@networkId, @untimed) ON CONFLICT (network_id) DO UPDATE SET events = events + excluded.events",
                new { networkId, untimed },
                transaction);
        }
    }

    /// <summary>Migration 0007's code step: folds every event already final into its hour (one pass, at upgrade only).</summary>
    internal static void BackfillRedemptionHours(SqliteConnection connection, SqliteTransaction transaction)
    {
        var networks = connection.Query<long>("SELECT id FROM networks", transaction: transaction).ToList();
        foreach (var networkId in networks)
        {
            var events = connection.Query<(string Kind, string Amount, string? BlockTime)>(
                "SELECT kind, amount, block_time FROM supply_events WHERE network_id = @networkId AND is_final = 1",
                new { networkId },
                transaction);
            FoldIntoHours(connection, transaction, networkId, events.Select(e => (e.Kind, ParseAmount(e.Amount).Value, e.BlockTime is null ? (DateTimeOffset?)null : ParseTime(e.BlockTime))));
        }
    }

    private sealed class HourSums
    {
        public BigInteger Minted { get; private set; }
        public BigInteger Burned { get; private set; }
        public long Mints { get; private set; }
        public long Burns { get; private set; }

        public void Add(bool mint, BigInteger amount)
        {
            if (mint)
            {
                Minted += amount;
                Mints++;
            }
            else
            {
                Burned += amount;
                Burns++;
            }
        }
    }
}
