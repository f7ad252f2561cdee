using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Usd1Reconciler.Core.Governance;
using Usd1Reconciler.Core.Ingest;

namespace Usd1Reconciler.Evm.Indexing;

/// <summary>The EVM adapter registers itself (eShop's <c>builder.AddXxx()</c>): the host maps its configuration to these settings.</summary>
public static class EvmServiceCollectionExtensions
{
    /// <summary>
    /// One <see cref="INetworkIndexer"/> per network, built when first resolved from the container's
    /// <see cref="ISupplyStore"/>, <see cref="HttpClient"/>, <see cref="TimeProvider"/> and <see cref="ILoggerFactory"/>
    /// (the host registers those; the store is opened only when an indexer is needed), the storage registration's
    /// <see cref="IGovernanceStore"/> when its provider keeps governance (else no governance proof), and the host's
    /// <see cref="IIndexProgress"/> when it registers one.
    /// </summary>
    public static IServiceCollection AddEvmNetworks(this IServiceCollection services, IEnumerable<EvmNetworkSettings> networks)
    {
        ArgumentNullException.ThrowIfNull(networks);
        foreach (var settings in networks)
        {
            services.AddSingleton<INetworkIndexer>(provider => EvmIndexer.Create(
                settings,
                provider.GetRequiredService<ISupplyStore>(),
                provider.GetRequiredService<HttpClient>(),
                provider.GetRequiredService<TimeProvider>(),
                provider.GetRequiredService<ILoggerFactory>(),
                provider.GetService<IGovernanceStore>(),
                provider.GetService<IIndexProgress>()));
        }

        return services;
    }
}
