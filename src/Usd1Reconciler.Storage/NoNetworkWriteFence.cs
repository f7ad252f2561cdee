using System.Data.Common;

namespace Usd1Reconciler.Storage;

/// <summary>The null fence: every commit may go ahead (SQLite's whole-store lease, a single instance on PostgreSQL).</summary>
public sealed class NoNetworkWriteFence : INetworkWriteFence
{
    public static NoNetworkWriteFence Instance { get; } = new();

    private NoNetworkWriteFence()
    {
    }

    public ValueTask EnsureHeldAsync(DbConnection connection, DbTransaction transaction, string network, CancellationToken cancellationToken) =>
        ValueTask.CompletedTask;
}
