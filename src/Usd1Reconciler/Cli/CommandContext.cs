using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Usd1Reconciler.Composition;
using Usd1Reconciler.Configuration;
using Usd1Reconciler.Core.Governance;
using Usd1Reconciler.Storage;
using Usd1Reconciler.Storage.Leasing;

namespace Usd1Reconciler.Cli;

/// <summary>
/// The one prologue of every verb (issue 13.2; it existed five times): load and validate the configuration, create
/// the loggers, take the writer lease (writer verbs), open the store — each step's failure printed once, as before,
/// with its exit code (2 invalid configuration, 1 lease or store). The services come from the same composition as the
/// daemon's (<see cref="ReconcilerComposition.AddReconciler"/>). Disposing releases the lease and the services.
/// </summary>
internal sealed class CommandContext : IAsyncDisposable
{
    private readonly ServiceProvider _services;
    private readonly CancellationTokenSource _stopping;
    private readonly IIndexStore? _store;
    private readonly CancellationTokenSource _networkLeasesStop = new();
    private Task _networkLeases = Task.CompletedTask;

    private CommandContext(LoadedConfiguration config, ILoggerFactory loggers, ServiceProvider services, IHeldWriterLease? lease, IIndexStore? store, CancellationToken cancellationToken)
    {
        Config = config;
        Loggers = loggers;
        _services = services;
        Lease = lease;
        _store = store;
        _stopping = lease is null
            ? CancellationTokenSource.CreateLinkedTokenSource(cancellationToken)
            : CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, lease.Lost);
    }

    public LoadedConfiguration Config { get; }

    public ILoggerFactory Loggers { get; }

    /// <summary>The writer lease, held until disposal; null for read-only verbs.</summary>
    public IHeldWriterLease? Lease { get; }

    /// <summary>The verb's cancellation, also cancelled when the writer lease is lost: two writers must never run.</summary>
    public CancellationToken Stopping => _stopping.Token;

    /// <summary>True when another process took the lease while this verb held it.</summary>
    public bool LeaseLost => Lease?.Lost.IsCancellationRequested == true;

    public IIndexStore Store => _store ?? throw new InvalidOperationException("this verb opened no store (CommandRequest.OpensStore is false)");

    /// <summary>
    /// The opened store's governance record, from the storage registration; null when the provider keeps none (the
    /// governance verbs then say so and exit 1).
    /// </summary>
    public IGovernanceStore? Governance => _store is null
        ? throw new InvalidOperationException("this verb opened no store (CommandRequest.OpensStore is false)")
        : _services.GetService<IGovernanceStore>();

    /// <summary>Indexers, feed pollers, the pass policy and the reconciliation runner, as the daemon has them.</summary>
    public ReconcilerServices Reconciler => _services.GetRequiredService<ReconcilerServices>();

    public IServiceProvider Services => _services;

    /// <summary>The context, or null with the exit code after the failing step has printed why.</summary>
    public static async Task<(CommandContext? Context, int ExitCode)> OpenAsync(CommandRequest request, CliConsole console, TimeProvider time, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(console);
        LoadedConfiguration config;
        try
        {
            config = ConfigLoader.Load(request.ConfigPath, request.Use);
        }
        catch (ConfigurationException ex)
        {
            return (null, ConfigErrorReporter.Report(ex, console.Error));
        }

        var loggers = LoggingSetup.Create(config.Options.Logging, console.Logs);
        var services = new ServiceCollection().AddReconciler(config, time, loggers).BuildServiceProvider();
        IHeldWriterLease? lease = null;
        try
        {
            if (request.WriterVerb is { } verb)
            {
                lease = await TryAcquireLeaseAsync(services.GetRequiredService<IWriterLease>(), verb, console, cancellationToken);
                if (lease is null)
                {
                    return await FailAsync(ExitCodes.Failure);
                }
            }

            if (request.CreatedBy is { } creator && config.StoreIsFile && !File.Exists(config.StoragePath))
            {
                console.Error.WriteLine($"usd1rec: no store at {config.StoragePath}; run `usd1rec {creator} --config {config.FilePath} --once` first");
                return await FailAsync(ExitCodes.Failure);
            }

            IIndexStore? store = null;
            if (request.OpensStore)
            {
                try
                {
                    store = services.GetRequiredService<IIndexStore>();
                }
                catch (StoreException ex)
                {
                    console.Error.WriteLine($"usd1rec: {ex.Message}");
                    return await FailAsync(ExitCodes.Failure);
                }
            }

            var context = new CommandContext(config, loggers, services, lease, store, cancellationToken);
            if (request.WriterVerb is not null && store is not null)
            {
                // One writer per network (issue 14.4): a verb that writes index data takes the networks' writer leases
                // now and keeps them while it runs (on SQLite the store lease above already covers every network).
                var networks = config.Options.Networks.Select(n => n.Name).ToList();
                context._networkLeases = await services.GetRequiredService<INetworkWriterLeases>().StartAsync(networks, context._networkLeasesStop.Token);
            }

            return (context, ExitCodes.Ok);
        }
        catch
        {
            await FailAsync(ExitCodes.Failure);
            throw;
        }

        async Task<(CommandContext?, int)> FailAsync(int exitCode)
        {
            if (lease is not null)
            {
                await lease.DisposeAsync();
                lease = null;
            }

            await services.DisposeAsync();
            loggers.Dispose();
            return (null, exitCode);
        }
    }

    public async ValueTask DisposeAsync()
    {
        // The network leases are released first (a standby takes over at once), while the store can still be reached.
        await _networkLeasesStop.CancelAsync();
        await _networkLeases;
        _networkLeasesStop.Dispose();
        _stopping.Dispose();
        if (Lease is not null)
        {
            await Lease.DisposeAsync();
        }

        await _services.DisposeAsync();
        Loggers.Dispose();
    }

    /// <summary>The held lease, or null after printing why not (another live writer, or a store that cannot be written).</summary>
    private static async Task<IHeldWriterLease?> TryAcquireLeaseAsync(IWriterLease lease, string verb, CliConsole console, CancellationToken cancellationToken)
    {
        try
        {
            var held = await lease.AcquireAsync(verb, cancellationToken);
            if (held.TookOverFrom is { } dead)
            {
                console.Error.WriteLine($"usd1rec: took over the writer lease of store {lease.StorePath} from {dead.Describe()}: that process is gone");
            }

            return held;
        }
        catch (Exception ex) when (ex is WriterLeaseHeldException or StoreException)
        {
            console.Error.WriteLine($"usd1rec: {ex.Message}");
            return null;
        }
        catch (Exception ex) when (ex is System.Data.Common.DbException or IOException or UnauthorizedAccessException)
        {
            console.Error.WriteLine($"usd1rec: store {lease.StorePath}: cannot take the writer lease: {ex.Message}");
            return null;
        }
    }
}
