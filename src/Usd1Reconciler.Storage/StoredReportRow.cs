using Usd1Reconciler.Core.Reconciliation;

namespace Usd1Reconciler.Storage;

/// <summary>
/// A report row as both providers read it (<see cref="ReportLog.Columns"/>) and its one mapping to
/// <see cref="StoredReport"/>. Only the time columns differ (<c>timestamptz</c> against ISO-8601 text): each provider
/// declares those in its subclass and says how to read them.
/// </summary>
internal abstract class StoredReportRow
{
    public long Id { get; init; }
    public string Kind { get; init; } = "";
    public string Verdict { get; init; } = "";
    public string ShortfallUsd { get; init; } = "";
    public string Canonical { get; init; } = "";
    public string PreviousHash { get; init; } = "";
    public string Hash { get; init; } = "";

    public StoredReport ToReport()
    {
        var (createdAt, evaluatedAt) = ReadTimes();
        return new StoredReport(Id, Kind, createdAt, evaluatedAt, Verdict, ShortfallUsd, Canonical, PreviousHash, Hash);
    }

    /// <summary>The provider's time columns <c>created_at</c> and <c>evaluated_at</c>, read.</summary>
    protected abstract (DateTimeOffset CreatedAt, DateTimeOffset EvaluatedAt) ReadTimes();
}
