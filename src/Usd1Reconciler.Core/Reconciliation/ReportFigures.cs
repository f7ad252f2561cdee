namespace Usd1Reconciler.Core.Reconciliation;

/// <summary>
/// What a stored report says, read back by <see cref="ReportCanonicalForm.ReadFigures"/>: for a conclusive report its
/// own figures (<see cref="Conclusive"/>); for an Inconclusive one no figure at all, and the last conclusive result and
/// inconclusive-since time it carries (format 2; a format-1 Inconclusive report carries neither).
/// </summary>
public sealed record ReportFigures(
    ReconciliationVerdict Verdict,
    ConclusiveResult? Conclusive,
    ConclusiveResult? LastConclusive,
    DateTimeOffset? InconclusiveSince);
