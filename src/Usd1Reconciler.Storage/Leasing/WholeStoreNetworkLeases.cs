using System.Data.Common;

namespace Usd1Reconciler.Storage.Leasing;

/// <summary>
/// One process owns the whole store (SQLite under its <see cref="IWriterLease"/>, taken before anything is written):
/// it holds every network for as long as it runs, and its commits need no per-network fence.
/// </summary>
public sealed class WholeStoreNetworkLeases(string instanceId) : INetworkWriterLeases
{
    public string InstanceId { get; } = instanceId;

    public bool IsHeld(string network) => true;

    public CancellationToken HeldToken(string network) => CancellationToken.None;

    public Task<Task> StartAsync(IReadOnlyList<string> networks, CancellationToken stopping) => Task.FromResult(Task.CompletedTask);

    public Task RunAsync(IReadOnlyList<string> networks, CancellationToken stopping) => Task.CompletedTask;

    public ValueTask EnsureHeldAsync(DbConnection connection, DbTransaction transaction, string network, CancellationToken cancellationToken) =>
        ValueTask.CompletedTask;
}
