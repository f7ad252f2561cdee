namespace Usd1Reconciler.Configuration;

/// <summary>
/// The policy for one declared event (<see cref="GovernanceOptions.DeclaredPolicy"/>, keyed by the event's name or
/// signature as listed in <see cref="GovernanceOptions.DeclaredEvents"/>). Every declared event is folded into the
/// state as an entry keyed by its name and indexed arguments, last value wins; this says when such an entry pages.
/// </summary>
public sealed class DeclaredEventPolicyOptions
{
    /// <summary><value>Default: the whole arguments JSON.</value> The argument (by its ABI name) whose value <see cref="AllowedValues"/> lists.</summary>
    public string? Value { get; set; }

    /// <summary><value>Default: not checked.</value> Values <see cref="Value"/> may hold (addresses in any case, numbers in decimal base units, true/false); any other pages GovernanceDrift.</summary>
    public List<string> AllowedValues { get; set; } = [];

    /// <summary><value>Default: none.</value> The argument (by its ABI name) that names who acted, for <see cref="AllowedActors"/>.</summary>
    public string? Actor { get; set; }

    /// <summary><value>Default: not checked.</value> Actors that may emit the event; any other pages GovernanceDrift.</summary>
    public List<string> AllowedActors { get; set; } = [];

    /// <summary><value>Default: false.</value> True: with no <see cref="AllowedValues"/> or <see cref="AllowedActors"/>, every such event pages (an event that must not happen).</summary>
    public bool Privileged { get; set; }
}
