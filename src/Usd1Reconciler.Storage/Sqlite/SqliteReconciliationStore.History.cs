using Dapper;
using Usd1Reconciler.Core.Reconciliation;

namespace Usd1Reconciler.Storage.Sqlite;

public sealed partial class SqliteReconciliationStore
{
    public async Task<IReadOnlyList<ReportHistoryPoint>> GetReportHistoryAsync(DateTimeOffset since, CancellationToken cancellationToken)
    {
        await using var connection = supplyStore.OpenConnection();
        // Only the two figures are taken out of the canonical JSON (SQLite's json_extract), so a week of minute-by-minute
        // reports is read without parsing every report's inputs. Times are fixed-width ISO text: text order is time order.
        var rows = await connection.QueryAsync<HistoryRow>(new CommandDefinition(
            """
            SELECT id AS Id, evaluated_at AS EvaluatedAt, verdict AS Verdict,
                   json_extract(canonical, '$.circulatingSupplyUsd') AS CirculatingSupplyUsd,
                   json_extract(canonical, '$.coverageBps') AS CoverageBps
            FROM reconciliation_reports
            WHERE evaluated_at >= @since AND kind <> @pointInTime
            ORDER BY evaluated_at, id
            """,
            new { since = SqliteSupplyStore.Text(since), pointInTime = PointInTimeKind },
            cancellationToken: cancellationToken));
        return rows.Select(r => r.ToPoint()).ToList();
    }

    private sealed class HistoryRow
    {
        public long Id { get; init; }
        public string EvaluatedAt { get; init; } = "";
        public string Verdict { get; init; } = "";
        public string? CirculatingSupplyUsd { get; init; }
        public long? CoverageBps { get; init; }

        public ReportHistoryPoint ToPoint() => ReportHistoryPoint.FromStored(Id, SqliteSupplyStore.ParseTime(EvaluatedAt), Verdict, CirculatingSupplyUsd, CoverageBps);
    }
}
