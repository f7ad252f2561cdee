namespace Usd1Reconciler.Web;

/// <summary>What /readyz answers: ready only when the store is open and every configured network has been indexed at least once.</summary>
public sealed record ReadinessReport(bool Ready, IReadOnlyList<string> Waiting);
