using Usd1Reconciler.Core.Reserves;

namespace Usd1Reconciler.Reserves.Parsing;

/// <summary>A document read into figures, before validation against the snapshot in force.</summary>
/// <param name="Ripcord">The source itself says the figure is not to be trusted (proof-of-reserve feeds).</param>
public sealed record ParsedSnapshot(string Custodian, DateTimeOffset AsOf, IReadOnlyList<ReserveAccount> Accounts, string? Attestation, bool Ripcord);
