namespace Usd1Reconciler.Core.Reconciliation;

/// <summary>
/// Where the report chain ends: its length (every report ever appended that is still accounted for — those pruned by
/// retention behind the anchor plus those stored) and the hash of its newest report (null while the chain is empty).
/// An outside witness that remembers an earlier head can tell a chain that grew from one that was cut or rewritten.
/// </summary>
/// <param name="Length">Pruned plus stored reports.</param>
/// <param name="PrunedCount">Reports pruned by retention; only the anchor hash of the last of them remains.</param>
/// <param name="HeadHash">Hash of the newest stored report, lower-case hex; null when no report is stored.</param>
public sealed record ReportChainHead(long Length, long PrunedCount, string? HeadHash);
