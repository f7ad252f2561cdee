using Usd1Reconciler.Core.Amounts;
using Usd1Reconciler.Core.Anomalies;

namespace Usd1Reconciler.Storage;

/// <summary>
/// An anomaly row (with its outbox columns where the query joins them) as both providers read it, and its one mapping
/// to <see cref="StoredAnomaly"/>/<see cref="PendingAlert"/>. Only the time columns differ between the providers
/// (<c>timestamptz</c> against ISO-8601 text): each declares those in its subclass and says how to read them.
/// </summary>
internal abstract class StoredAnomalyRow
{
    public long OutboxId { get; init; }
    public string Action { get; init; } = "";
    public long Attempts { get; init; }
    public long Id { get; init; }
    public string Network { get; init; } = "";
    public string Rule { get; init; } = "";
    public string Fingerprint { get; init; } = "";
    public string Severity { get; init; } = "";
    public string Summary { get; init; } = "";
    public string Description { get; init; } = "";
    public long? BlockNumber { get; init; }
    public string? TxId { get; init; }
    public string? Actor { get; init; }

    /// <summary>The amount as exact decimal text (PostgreSQL reads <c>numeric</c> as <c>::text</c>).</summary>
    public string? Amount { get; init; }

    public string PageState { get; init; } = "";
    public string? PageNote { get; init; }

    public StoredAnomaly ToStored()
    {
        var (occurred, detected, resolved) = ReadTimes();
        return new StoredAnomaly(
            Id,
            new Anomaly(Enum.Parse<AnomalyRule>(Rule), Network, Severity, Summary, Description, BlockNumber, TxId, Actor,
                Amount is null ? null : TokenAmount.ParseDecimal(Amount), occurred, Fingerprint),
            detected,
            PageState,
            resolved,
            PageNote);
    }

    public PendingAlert ToPending() => new(OutboxId, Action, (int)Attempts, ToStored());

    /// <summary>The provider's time columns <c>occurred_at</c>, <c>detected_at</c> and <c>resolved_at</c>, read.</summary>
    protected abstract (DateTimeOffset? OccurredAt, DateTimeOffset DetectedAt, DateTimeOffset? ResolvedAt) ReadTimes();
}
