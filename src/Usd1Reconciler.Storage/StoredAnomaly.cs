using Usd1Reconciler.Core.Anomalies;

namespace Usd1Reconciler.Storage;

/// <summary>An anomaly as stored, with its paging state (queued, cooldown, history, unpaged) and why, when it was not paged.</summary>
public sealed record StoredAnomaly(long Id, Anomaly Anomaly, DateTimeOffset DetectedAt, string PageState, DateTimeOffset? ResolvedAt, string? PageNote = null);
