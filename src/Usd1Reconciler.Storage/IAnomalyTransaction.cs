using Usd1Reconciler.Core.Anomalies;

namespace Usd1Reconciler.Storage;

/// <summary>
/// The SQL steps <see cref="AnomalyRecording"/> drives inside one transaction of an anomaly store: each provider
/// implements them over its own connection and transaction (its SQL, its time encoding, its locking), the decisions
/// stay in <see cref="AnomalyRecording"/>, so both providers page alike.
/// </summary>
internal interface IAnomalyTransaction
{
    /// <summary>Whether an anomaly with <paramref name="dedupeKey"/> was queued for a page after <paramref name="since"/>.</summary>
    Task<bool> QueuedSinceAsync(string dedupeKey, DateTimeOffset since, CancellationToken cancellationToken);

    /// <summary>Inserts the anomaly; null (inserting nothing) when one with the same fingerprint is stored already.</summary>
    Task<long?> InsertAsync(Anomaly anomaly, string dedupeKey, string pageState, string? pageNote, DateTimeOffset detectedAt, CancellationToken cancellationToken);

    /// <summary>Adds an outbox entry (<c>fire</c> or <c>resolve</c>) for the anomaly, due at once.</summary>
    Task EnqueueAsync(long anomalyId, string action, DateTimeOffset at, CancellationToken cancellationToken);

    /// <summary>
    /// The newest unresolved anomaly of the rule on the network in page state <c>queued</c> or <c>unpaged</c>, held
    /// against concurrent raisers where the provider can (PostgreSQL: <c>FOR UPDATE</c>); null when there is none.
    /// </summary>
    Task<(long Id, string PageState)?> FindOpenConditionAsync(AnomalyRule rule, string network, CancellationToken cancellationToken);

    /// <summary>When the anomaly's newest <c>fire</c> entry was created; null when it has none.</summary>
    Task<DateTimeOffset?> LastFireAsync(long anomalyId, CancellationToken cancellationToken);

    /// <summary>Sets the anomaly's page state to <c>queued</c> with <paramref name="pageNote"/>.</summary>
    Task MarkQueuedAsync(long anomalyId, string pageNote, CancellationToken cancellationToken);
}
