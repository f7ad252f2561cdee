namespace Usd1Reconciler.Storage.Leasing;

/// <summary>
/// Issue 14.4, exactly one writer per network: which networks this instance may index. An instance indexes a network
/// only while <see cref="IsHeld"/> says so, and every commit of that network's data is also checked by the fence
/// (<see cref="INetworkWriteFence"/>) in its own transaction, so a lease lost between the check and the commit still
/// commits nothing. <see cref="RunAsync"/> keeps the leases: renews the held ones at half their length and takes free
/// or expired ones, so a standby becomes the writer as soon as the active instance's lease runs out.
/// <para>
/// Implementations: <see cref="Postgres.PostgresNetworkLeases"/> (a lease row per network on database time, with a
/// fencing token) for a shared PostgreSQL store; <see cref="WholeStoreNetworkLeases"/> where one process owns the
/// whole store (SQLite, under its <see cref="IWriterLease"/>), which holds every network.
/// </para>
/// </summary>
public interface INetworkWriterLeases : INetworkWriteFence
{
    /// <summary>This instance as leases name it (<c>Instance:Id</c>).</summary>
    string InstanceId { get; }

    /// <summary>
    /// Whether this instance holds <paramref name="network"/>'s lease now: taken or renewed, and its local deadline —
    /// earlier than the database's expiry — not passed. False means: write nothing for this network.
    /// </summary>
    bool IsHeld(string network);

    /// <summary>A token cancelled when the lease held now ends (lost, expired, released); already cancelled when none is held.</summary>
    CancellationToken HeldToken(string network);

    /// <summary>
    /// One attempt now to take each free lease of <paramref name="networks"/> (so a verb knows at once what it may
    /// write), then <see cref="RunAsync"/> in the background: the returned task is that keeping, which ends — the held
    /// leases released — when <paramref name="stopping"/> is cancelled.
    /// </summary>
    Task<Task> StartAsync(IReadOnlyList<string> networks, CancellationToken stopping);

    /// <summary>Keeps the leases of <paramref name="networks"/> until <paramref name="stopping"/> is cancelled; then releases the held ones, so a standby takes over at once.</summary>
    Task RunAsync(IReadOnlyList<string> networks, CancellationToken stopping);
}
