namespace Usd1Reconciler.Storage;

/// <summary>A report as the reconciler hands it to a store, before it has an id and its place in the hash chain.</summary>
internal sealed record ReportDraft(string Kind, DateTimeOffset CreatedAt, DateTimeOffset EvaluatedAt, string Verdict, string ShortfallUsd, string Canonical);
