using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Usd1Reconciler.Configuration;
using Usd1Reconciler.Hosting;
using Usd1Reconciler.Storage.Sqlite;
using Usd1Reconciler.Web;

namespace Usd1Reconciler.IntegrationTests.Fixtures;

/// <summary>
/// The `usd1rec run` host, built in-process from a configuration file exactly as the verb builds it, with its HTTP
/// endpoints on a free loopback port, and a custodian file feed the test can rewrite.
/// </summary>
internal sealed class DaemonUnderTest : IAsyncDisposable
{
    private readonly TempDirectory _directory;
    private IHost _host;

    private DaemonUnderTest(TempDirectory directory, IHost host, SqliteSupplyStore store, Uri url)
    {
        _directory = directory;
        _host = host;
        Store = store;
        Url = url;
    }

    public SqliteSupplyStore Store { get; private set; }

    public Uri Url { get; private set; }

    public string ReservesPath => _directory.File("reserves.json");

    /// <summary>The daemon's configuration file, for read-only verbs run beside it (`supply`, `governance`).</summary>
    public string ConfigPath => _directory.File("config.json");

    /// <param name="networksJson">The Networks array's items.</param>
    /// <param name="extraSectionsJson">More top-level sections (e.g. "Alerting":{...}), with a leading comma.</param>
    /// <param name="feedStaleAfter">The feed's freshness budget (TimeSpan text).</param>
    public static async Task<DaemonUnderTest> StartAsync(string networksJson, decimal reservesUsd, string extraSectionsJson = "", string feedStaleAfter = "01:00:00")
    {
        var directory = new TempDirectory("daemon");
        await WriteReservesAsync(directory.File("reserves.json"), reservesUsd);
        var config = directory.File("config.json");
        await File.WriteAllTextAsync(config, $$"""
            {
              "Storage": { "Path": "store.db" },
              "Http": { "Listen": "127.0.0.1:0" },
              "Logging": { "Level": "Warning" },
              "Networks": [ {{networksJson}} ],
              "Reserves": { "Feeds": [ { "Name": "bank-a", "Kind": "File", "Path": "reserves.json", "PollInterval": "00:00:00.500", "StaleAfter": "{{feedStaleAfter}}" } ] },
              "Reconciliation": { "Schedule": "* * * * * ?" }
              {{extraSectionsJson}}
            }
            """);
        var (host, store, url) = await StartHostAsync(config);
        return new DaemonUnderTest(directory, host, store, url);
    }

    /// <summary>
    /// Stops the daemon and starts a new one on the same store, configuration and port (so a Prometheus scraping it
    /// keeps its target): what `systemctl restart usd1rec` does. The new host has fresh metrics and fresh state.
    /// </summary>
    public async Task RestartAsync()
    {
        await _host.StopAsync();
        _host.Dispose();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        var config = _directory.File("config.json");
        var text = await File.ReadAllTextAsync(config);
        await File.WriteAllTextAsync(config, text.Replace("\"127.0.0.1:0\"", $"\"127.0.0.1:{Url.Port}\"", StringComparison.Ordinal));
        (_host, Store, Url) = await StartHostAsync(config);
    }

    private static async Task<(IHost Host, SqliteSupplyStore Store, Uri Url)> StartHostAsync(string config)
    {
        var loaded = ConfigLoader.Load(config);
        var store = SqliteSupplyStore.Open(loaded.StoragePath, TimeProvider.System);
        var host = DaemonHost.Build(loaded, store, TimeProvider.System);
        await host.StartAsync();
        var server = host.Services.GetRequiredService<ObservabilityServer>();
        return (host, store, server.BoundAddress!);
    }

    public Task WriteReservesAsync(decimal reservesUsd) => WriteReservesAsync(ReservesPath, reservesUsd);

    public async Task<string> GetAsync(string path)
    {
        using var http = new HttpClient();
        return await http.GetStringAsync(new Uri(Url, path));
    }

    public async ValueTask DisposeAsync()
    {
        await _host.StopAsync();
        _host.Dispose();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        _directory.Dispose();
    }

    private static Task WriteReservesAsync(string path, decimal reservesUsd) =>
        File.WriteAllTextAsync(path, $$"""
            {"custodian":"Bank A","asOf":"{{TimeProvider.System.GetUtcNow().UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture)}}","attestation":"test",
             "accounts":[{"id":"op-1","assetClass":"cash","currency":"USD","amount":"{{reservesUsd.ToString(CultureInfo.InvariantCulture)}}","bank":"Bank A","daysToLiquidity":0}]}
            """);
}
