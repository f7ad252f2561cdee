using Usd1Reconciler.Core.Amounts;

namespace Usd1Reconciler.Core.Reserves;

/// <summary>
/// What one feed said the reserves were at one as-of time, with its provenance: the SHA-256 of the exact bytes
/// received and the signature that authenticated them (when the feed is signed).
/// </summary>
/// <param name="Id">Store id once accepted; 0 before.</param>
/// <param name="Feed">Configured feed name.</param>
/// <param name="AsOf">The time the figures describe (not when they were fetched).</param>
/// <param name="Attestation">Attestation or statement reference the custodian gave, if any.</param>
/// <param name="ContentSha256">Lower-case hex SHA-256 of the body as received.</param>
/// <param name="Signature">The signature header or sidecar that was verified, or null for unsigned feeds.</param>
public sealed record ReserveSnapshot(
    long Id,
    string Feed,
    string Custodian,
    DateTimeOffset AsOf,
    IReadOnlyList<ReserveAccount> Accounts,
    string? Attestation,
    string ContentSha256,
    string? Signature,
    DateTimeOffset ReceivedAt)
{
    public UsdAmount Total => Accounts.Aggregate(UsdAmount.Zero, (sum, a) => sum + a.Amount);
}
