namespace Usd1Reconciler.Web;

/// <summary>A configured network as the status page needs it: its freshness budget and its explorer's transaction link (with {tx}).</summary>
internal sealed record StatusPageNetwork(string Name, TimeSpan StaleAfter, string? ExplorerTxUrl);
