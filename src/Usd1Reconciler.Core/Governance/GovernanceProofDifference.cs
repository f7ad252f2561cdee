namespace Usd1Reconciler.Core.Governance;

/// <summary>One fact where the chain and the folded state disagree.</summary>
/// <param name="Subject">owner, paused, implementation, proxyAdmin, role:R:account, minter:M, authority:K, denylisted:A, frozen:A.</param>
public sealed record GovernanceProofDifference(string Subject, string Folded, string Chain);
