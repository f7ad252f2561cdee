using Dapper;
using Usd1Reconciler.Core.Reconciliation;

namespace Usd1Reconciler.Storage.Postgres;

public sealed partial class PostgresReconciliationStore
{
    public async Task<IReadOnlyList<ReportHistoryPoint>> GetReportHistoryAsync(DateTimeOffset since, CancellationToken cancellationToken)
    {
        await using var connection = await supplyStore.OpenConnectionAsync(cancellationToken);
        // Only the two figures are taken out of the canonical JSON (jsonb), as the SQLite store does with json_extract:
        // the amount is a JSON string (exact decimal text), the coverage a JSON integer.
        var rows = await connection.QueryAsync<HistoryRow>(new CommandDefinition(
            """
            SELECT id AS Id, evaluated_at AS EvaluatedAt, verdict AS Verdict,
                   canonical::jsonb ->> 'circulatingSupplyUsd' AS CirculatingSupplyUsd,
                   (canonical::jsonb ->> 'coverageBps')::bigint AS CoverageBps
            FROM reconciliation_reports
            WHERE evaluated_at >= @since AND kind <> @pointInTime
            ORDER BY evaluated_at, id
            """,
            new { since = PostgresSupplyStore.Utc(since), pointInTime = PointInTimeKind },
            cancellationToken: cancellationToken));
        return rows.Select(r => r.ToPoint()).ToList();
    }

    private sealed class HistoryRow
    {
        public long Id { get; init; }
        public DateTime EvaluatedAt { get; init; }
        public string Verdict { get; init; } = "";
        public string? CirculatingSupplyUsd { get; init; }
        public long? CoverageBps { get; init; }

        public ReportHistoryPoint ToPoint() => ReportHistoryPoint.FromStored(Id, PostgresSupplyStore.Time(EvaluatedAt), Verdict, CirculatingSupplyUsd, CoverageBps);
    }
}
