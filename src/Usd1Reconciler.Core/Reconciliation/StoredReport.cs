namespace Usd1Reconciler.Core.Reconciliation;

/// <summary>
/// A report as stored: its canonical JSON, the hash of the report before it and its own hash. The other fields are
/// copies of values inside <see cref="Canonical"/>, kept as columns for listing and checked against it on verify.
/// </summary>
public sealed record StoredReport(
    long Id,
    string Kind,
    DateTimeOffset CreatedAt,
    DateTimeOffset EvaluatedAt,
    string Verdict,
    string ShortfallUsd,
    string Canonical,
    string PreviousHash,
    string Hash);
