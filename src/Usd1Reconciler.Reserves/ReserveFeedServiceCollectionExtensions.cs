using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Usd1Reconciler.Core.Reserves;
using Usd1Reconciler.Reserves.Feeds;

namespace Usd1Reconciler.Reserves;

/// <summary>The reserves adapter registers itself (eShop's <c>builder.AddXxx()</c>): the host maps its configuration to these settings.</summary>
public static class ReserveFeedServiceCollectionExtensions
{
    /// <summary>
    /// One <see cref="ReserveFeedPoller"/> per feed: over HTTP when the settings name a URL, else from the file. Built
    /// when first resolved, from the container's <see cref="IReserveStore"/>, <see cref="HttpClient"/>,
    /// <see cref="TimeProvider"/> and <see cref="ILoggerFactory"/> (logger <c>usd1rec.feed.NAME</c>).
    /// </summary>
    public static IServiceCollection AddReserveFeeds(this IServiceCollection services, IEnumerable<ReserveFeedSettings> feeds)
    {
        ArgumentNullException.ThrowIfNull(feeds);
        foreach (var settings in feeds)
        {
            services.AddSingleton(provider =>
            {
                var time = provider.GetRequiredService<TimeProvider>();
                IReserveDocumentSource source = settings.Url is not null
                    ? new HttpReserveDocumentSource(settings, provider.GetRequiredService<HttpClient>(), time)
                    : new FileReserveDocumentSource(settings);
                return new ReserveFeedPoller(
                    settings,
                    source,
                    provider.GetRequiredService<IReserveStore>(),
                    time,
                    provider.GetRequiredService<ILoggerFactory>().CreateLogger($"usd1rec.feed.{settings.Name}"));
            });
        }

        return services;
    }
}
