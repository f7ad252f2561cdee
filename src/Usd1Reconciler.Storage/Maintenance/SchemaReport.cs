namespace Usd1Reconciler.Storage.Maintenance;

/// <summary>
/// Which schema migrations a store carries compared with the ones this build knows. <see cref="Unknown"/> versions
/// were written by a newer usd1rec: such a store is refused rather than guessed at.
/// </summary>
public sealed record SchemaReport(IReadOnlyList<int> Applied, IReadOnlyList<int> Pending, IReadOnlyList<int> Unknown)
{
    /// <summary>The newest applied version, 0 for a store without any.</summary>
    public int Version => Applied.Count == 0 ? 0 : Applied.Max();

    public bool IsCurrent => Pending.Count == 0 && Unknown.Count == 0;
}
