namespace Usd1Reconciler.Core.Governance;

/// <summary>
/// What the issuer says about one declared event (issue 15): which of its arguments carries the value to check, which
/// names who acted, and the values and actors allowed. A declared event without a rule is recorded and folded into the
/// state (so the state hash changes) but never drift.
/// </summary>
/// <param name="ValueArgument">The argument compared with <paramref name="AllowedValues"/>; null: the entry's whole arguments JSON.</param>
/// <param name="AllowedValues">Values the entry may hold (as decoded: lower-case 0x addresses, decimal numbers, true/false); null: not checked.</param>
/// <param name="ActorArgument">The argument that names who acted; null: the change's own actor (none for an EVM declared event).</param>
/// <param name="AllowedActors">Actors that may set the entry; null: not checked.</param>
/// <param name="Privileged">True: with no allowed values or actors given, every entry of the event is drift (an event that must not happen).</param>
public sealed record GovernanceDeclaredRule(
    string? ValueArgument,
    IReadOnlySet<string>? AllowedValues,
    string? ActorArgument,
    IReadOnlySet<string>? AllowedActors,
    bool Privileged);
