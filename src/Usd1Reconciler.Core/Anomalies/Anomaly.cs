using Usd1Reconciler.Core.Amounts;

namespace Usd1Reconciler.Core.Anomalies;

/// <summary>
/// One finding with its evidence: where (network, block, tx), who (actor), how much. <see cref="Fingerprint"/> makes
/// the same finding from a re-screen or a restart collapse into one record and one page.
/// </summary>
/// <param name="Severity">"page" (wake someone) or "ticket" (next business day).</param>
/// <param name="Summary">One line for the pager: what happened and where.</param>
/// <param name="Description">What the numbers are and what to check first.</param>
/// <param name="OccurredAt">Block time of the evidence when known; null for backfilled history without timestamps.</param>
public sealed record Anomaly(
    AnomalyRule Rule,
    string Network,
    string Severity,
    string Summary,
    string Description,
    long? BlockNumber,
    string? TransactionId,
    string? Actor,
    TokenAmount? Amount,
    DateTimeOffset? OccurredAt,
    string Fingerprint);
