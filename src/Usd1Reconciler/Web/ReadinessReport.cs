namespace Usd1Reconciler.Web;

/// <summary>
/// What /readyz answers. <see cref="Ready"/> only while the store is open, every configured network has been indexed at
/// least once, its index passes succeed and it has a usable RPC endpoint. <see cref="Waiting"/> holds one line per
/// reason it is not, each starting with what it is about ("network NAME: …", "store: …") and naming the cause.
/// </summary>
public sealed record ReadinessReport(bool Ready, IReadOnlyList<string> Waiting);
