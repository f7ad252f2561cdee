using Usd1Reconciler.Core.Reserves;

namespace Usd1Reconciler.Storage;

/// <summary>
/// A reserve snapshot row as both providers read it, and its one mapping to <see cref="ReserveSnapshot"/>; only
/// <c>as_of</c> and <c>received_at</c> differ, declared and read by each provider's subclass.
/// </summary>
internal abstract class ReserveSnapshotRow
{
    /// <summary>The snapshot columns, named as this row reads them.</summary>
    public const string Columns =
        "id AS Id, feed AS Feed, custodian AS Custodian, as_of AS AsOf, received_at AS ReceivedAt, attestation AS Attestation, " +
        "content_sha256 AS ContentSha256, signature AS Signature";

    public long Id { get; init; }
    public string Feed { get; init; } = "";
    public string Custodian { get; init; } = "";
    public string? Attestation { get; init; }
    public string ContentSha256 { get; init; } = "";
    public string? Signature { get; init; }

    /// <summary>The snapshot with its accounts (in stored position order).</summary>
    public ReserveSnapshot ToSnapshot(IEnumerable<ReserveAccountRow> accounts)
    {
        ArgumentNullException.ThrowIfNull(accounts);
        var (asOf, receivedAt) = ReadTimes();
        return new ReserveSnapshot(Id, Feed, Custodian, asOf, accounts.Select(a => a.ToAccount()).ToList(), Attestation, ContentSha256, Signature, receivedAt);
    }

    /// <summary>The provider's time columns <c>as_of</c> and <c>received_at</c>, read.</summary>
    protected abstract (DateTimeOffset AsOf, DateTimeOffset ReceivedAt) ReadTimes();
}
