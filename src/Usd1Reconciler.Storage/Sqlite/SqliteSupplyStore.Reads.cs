using System.Numerics;
using Dapper;
using Microsoft.Data.Sqlite;
using Usd1Reconciler.Core.Networks;
using Usd1Reconciler.Core.Supply;

namespace Usd1Reconciler.Storage.Sqlite;

public sealed partial class SqliteSupplyStore
{
    public async Task<IReadOnlyList<SupplyEvent>> GetProvisionalEventsAsync(long networkId, long upToBlock, CancellationToken cancellationToken)
    {
        await using var connection = OpenConnection();
        var rows = await connection.QueryAsync<SupplyEventRow>(new CommandDefinition(
            $"""
            SELECT {EventColumns} FROM supply_events
            WHERE network_id = @networkId AND is_final = 0 AND block_number <= @upToBlock
            ORDER BY block_number, tx_id, position, sub_position
            """,
            new { networkId, upToBlock },
            cancellationToken: cancellationToken));
        return rows.Select(r => r.ToEvent()).ToList();
    }

    /// <summary>Every stored event of a network in chain order (for checks and exports, not for hot paths).</summary>
    public async Task<IReadOnlyList<(SupplyEvent Event, bool IsFinal)>> GetEventsAsync(long networkId, CancellationToken cancellationToken)
    {
        await using var connection = OpenConnection();
        var rows = await connection.QueryAsync<SupplyEventRow>(new CommandDefinition(
            $"SELECT {EventColumns}, is_final AS IsFinal FROM supply_events WHERE network_id = @networkId ORDER BY block_number, position, sub_position, tx_id",
            new { networkId },
            cancellationToken: cancellationToken));
        return rows.Select(r => (r.ToEvent(), r.IsFinal != 0)).ToList();
    }

    public async Task<BigInteger> GetFinalSupplyAtAsync(long networkId, long block, CancellationToken cancellationToken)
    {
        await using var connection = OpenConnection();
        var rows = await connection.QueryAsync<(string Kind, string Amount)>(new CommandDefinition(
            "SELECT kind, amount FROM supply_events WHERE network_id = @networkId AND is_final = 1 AND block_number <= @block",
            new { networkId, block },
            cancellationToken: cancellationToken));
        var sum = BigInteger.Zero;
        foreach (var (kind, amount) in rows)
        {
            sum += Signed(kind, amount);
        }

        return sum;
    }

    /// <exception cref="StoreDamagedException">The read touched damaged pages (opening checks only the header and schema).</exception>
    /// <exception cref="StoreUnavailableException">The store could not be read now.</exception>
    public async Task<IReadOnlyList<NetworkSupply>> GetSupplyAsync(CancellationToken cancellationToken)
    {
        try
        {
            return await ReadSupplyAsync(cancellationToken);
        }
        catch (SqliteException ex)
        {
            throw Translate(ex, "reading supply");
        }
    }

    private async Task<IReadOnlyList<NetworkSupply>> ReadSupplyAsync(CancellationToken cancellationToken)
    {
        await using var connection = OpenConnection();
        var networks = (await connection.QueryAsync<SupplyRow>(new CommandDefinition(
            """
            SELECT n.id AS NetworkId, n.name AS Name, n.kind AS Kind,
                   t.final_block AS FinalBlock, t.minted AS Minted, t.burned AS Burned, t.mints AS Mints, t.burns AS Burns,
                   c.tip_number AS TipNumber, c.indexed_at AS IndexedAt,
                   (SELECT COUNT(*) FROM reorgs r WHERE r.network_id = n.id) AS Reorgs,
                   n.failing_since AS FailingSince, n.failing_reason AS FailingReason,
                   n.token_decimals AS TokenDecimals, n.token_symbol AS TokenSymbol, n.token_identity_mismatch AS TokenIdentityMismatch
            FROM networks n
            JOIN supply_totals t ON t.network_id = n.id
            LEFT JOIN cursors c ON c.network_id = n.id
            ORDER BY n.id
            """,
            cancellationToken: cancellationToken))).ToList();

        var result = new List<NetworkSupply>(networks.Count);
        foreach (var n in networks)
        {
            var provisional = await connection.QueryAsync<(string Kind, string Amount)>(new CommandDefinition(
                "SELECT kind, amount FROM supply_events WHERE network_id = @NetworkId AND is_final = 0",
                new { n.NetworkId },
                cancellationToken: cancellationToken));
            BigInteger provisionalMinted = 0, provisionalBurned = 0;
            foreach (var (kind, amount) in provisional)
            {
                if (kind == "mint")
                {
                    provisionalMinted += ParseAmount(amount).Value;
                }
                else
                {
                    provisionalBurned += ParseAmount(amount).Value;
                }
            }

            var proof = await connection.QuerySingleOrDefaultAsync<ProofRow>(new CommandDefinition(
                """
                SELECT block_number AS BlockNumber, onchain_supply AS Onchain, indexed_supply AS Indexed, checked_at AS CheckedAt
                FROM ledger_proofs WHERE network_id = @NetworkId ORDER BY id DESC LIMIT 1
                """,
                new { n.NetworkId },
                cancellationToken: cancellationToken));

            result.Add(new NetworkSupply(
                n.NetworkId,
                n.Name,
                ParseKind(n.Kind),
                ParseSum(n.Minted),
                ParseSum(n.Burned),
                n.Mints,
                n.Burns,
                provisionalMinted,
                provisionalBurned,
                n.FinalBlock,
                n.TipNumber ?? -1,
                n.IndexedAt is null ? null : ParseTime(n.IndexedAt),
                n.Reorgs,
                proof is null
                    ? null
                    : new LedgerProofReading(n.NetworkId, proof.BlockNumber, ParseAmount(proof.Onchain), ParseSum(proof.Indexed), ParseTime(proof.CheckedAt)))
            {
                FailingSince = n.FailingSince is null ? null : ParseTime(n.FailingSince),
                FailingReason = n.FailingReason,
                Token = n.TokenDecimals is { } decimals ? new TokenIdentity((int)decimals, n.TokenSymbol) : null,
                TokenIdentityMismatch = n.TokenIdentityMismatch,
            });
        }

        return result;
    }

    /// <summary>
    /// Block time of the newest indexed block (stored header) or timed event, for the head-lag metric. Read through
    /// indexes on every metrics refresh, so its cost does not grow with the store (issue 18): the kept headers are the
    /// unfinal ones and the anchor, and the events' time is that of the newest timed event, found by walking the
    /// block-led key down from the top (block times do not decrease with the block number, so it is also their maximum).
    /// </summary>
    public async Task<DateTimeOffset?> GetNewestBlockTimeAsync(long networkId, CancellationToken cancellationToken)
    {
        await using var connection = OpenConnection();
        var newest = await connection.ExecuteScalarAsync<string?>(new CommandDefinition(NewestBlockTimeSql, new { networkId }, cancellationToken: cancellationToken));
        return newest is null ? null : ParseTime(newest);
    }

    internal const string NewestBlockTimeSql =
        """
        SELECT MAX(t) FROM (
            SELECT MAX(timestamp) AS t FROM blocks WHERE network_id = @networkId
            UNION ALL SELECT t FROM (
                SELECT block_time AS t FROM supply_events
                WHERE network_id = @networkId AND block_time IS NOT NULL
                ORDER BY block_number DESC LIMIT 1))
        """;

    internal const string EventColumns =
        "kind AS Kind, block_number AS BlockNumber, block_hash AS BlockHash, tx_id AS TxId, position AS Position, sub_position AS SubPosition, " +
        "actor AS Actor, holder AS Holder, amount AS Amount, block_time AS BlockTime";

    private sealed class SupplyRow
    {
        public long NetworkId { get; init; }
        public string Name { get; init; } = "";
        public string Kind { get; init; } = "";
        public long FinalBlock { get; init; }
        public string Minted { get; init; } = "";
        public string Burned { get; init; } = "";
        public long Mints { get; init; }
        public long Burns { get; init; }
        public long? TipNumber { get; init; }
        public string? IndexedAt { get; init; }
        public long Reorgs { get; init; }
        public string? FailingSince { get; init; }
        public string? FailingReason { get; init; }
        public long? TokenDecimals { get; init; }
        public string? TokenSymbol { get; init; }
        public string? TokenIdentityMismatch { get; init; }
    }

    private sealed class ProofRow
    {
        public long BlockNumber { get; init; }
        public string Onchain { get; init; } = "";
        public string Indexed { get; init; } = "";
        public string CheckedAt { get; init; } = "";
    }
}
