using Usd1Reconciler.Core.Governance;

namespace Usd1Reconciler.Web;

/// <summary>A configured network as the status page needs it: its freshness budget and its explorer's transaction link (with {tx}).</summary>
/// <param name="Governance">The network's governance policy; null when it has no Networks:N:Governance section (its state is recorded, not checked).</param>
/// <param name="PositionName">What its positions are called: "block" on EVM networks, "slot" on Solana.</param>
internal sealed record StatusPageNetwork(string Name, TimeSpan StaleAfter, string? ExplorerTxUrl, GovernancePolicy? Governance = null, string PositionName = "block");
