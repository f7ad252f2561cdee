using Dapper;
using Usd1Reconciler.Core.Ingest;

namespace Usd1Reconciler.Storage.Sqlite;

public sealed partial class SqliteSupplyStore
{
    public async Task<BlockHeader?> GetNewestBlockAtOrBelowAsync(long networkId, long number, CancellationToken cancellationToken)
    {
        await using var connection = OpenConnection();
        var row = await connection.QuerySingleOrDefaultAsync<BlockRow>(new CommandDefinition(
            """
            SELECT number AS Number, hash AS Hash, parent_hash AS ParentHash, timestamp AS Timestamp FROM blocks
            WHERE network_id = @networkId AND number <= @number ORDER BY number DESC LIMIT 1
            """,
            new { networkId, number },
            cancellationToken: cancellationToken));
        return row is null ? null : new BlockHeader(row.Number, row.Hash, row.ParentHash, ParseTime(row.Timestamp));
    }
}
