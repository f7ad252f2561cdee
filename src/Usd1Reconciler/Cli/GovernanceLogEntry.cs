using Usd1Reconciler.Core.Governance;

namespace Usd1Reconciler.Cli;

/// <summary>One line of `usd1rec governance log`: the change as applied (old value filled in) and its explorer link, if the network has one.</summary>
internal sealed record GovernanceLogEntry(GovernanceChange Change, string? Explorer);
