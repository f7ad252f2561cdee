namespace Usd1Reconciler.Storage;

/// <summary>An outbox entry due for delivery: fire (or refresh) an anomaly's alert, or resolve it.</summary>
public sealed record PendingAlert(long OutboxId, string Action, int Attempts, StoredAnomaly Anomaly);
