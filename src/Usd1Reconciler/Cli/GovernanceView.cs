using Usd1Reconciler.Core.Governance;

namespace Usd1Reconciler.Cli;

/// <summary>One network as `usd1rec governance` shows it: the proof status as of now, the drift, the folded state and the stored proof.</summary>
internal sealed record GovernanceView(string Name, GovernanceProofStatus Proof, IReadOnlyList<GovernanceDriftItem> Drift, GovernanceState State, GovernanceProofReading? Reading);
