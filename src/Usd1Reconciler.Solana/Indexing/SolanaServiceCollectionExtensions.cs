using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Usd1Reconciler.Core.Governance;
using Usd1Reconciler.Core.Ingest;

namespace Usd1Reconciler.Solana.Indexing;

/// <summary>The Solana adapter registers itself (eShop's <c>builder.AddXxx()</c>): the host maps its configuration to these settings.</summary>
public static class SolanaServiceCollectionExtensions
{
    /// <summary>
    /// One <see cref="INetworkIndexer"/> per network, built when first resolved from the container's
    /// <see cref="ISupplyStore"/>, <see cref="HttpClient"/>, <see cref="TimeProvider"/> and <see cref="ILoggerFactory"/>
    /// (the host registers those; the store is opened only when an indexer is needed), the
    /// <see cref="IGovernanceStore"/> when the storage registration has one (its provider keeps governance),
    /// and the host's <see cref="IIndexProgress"/> when it registers one.
    /// </summary>
    public static IServiceCollection AddSolanaNetworks(this IServiceCollection services, IEnumerable<SolanaNetworkSettings> networks)
    {
        ArgumentNullException.ThrowIfNull(networks);
        foreach (var settings in networks)
        {
            services.AddSingleton<INetworkIndexer>(provider => SolanaIndexer.Create(
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
