using Usd1Reconciler.Devnet;

namespace Usd1Reconciler.IntegrationTests.Fixtures;

/// <summary>Locates the repository and the pinned devnet tools from the test binary's folder.</summary>
internal static class RepoPaths
{
    public static string Root { get; } = FindRoot();

    /// <summary>The pinned devnet tools and contract artifacts, as Usd1Reconciler.Devnet finds them in this clone.</summary>
    public static DevnetToolchain Devnet { get; } = DevnetToolchain.Locate(Root);

    public static string DevnetTools => Devnet.DevnetTools;

    public static string NodeModules => Devnet.NodeModules;

    public static string Anvil => Devnet.Anvil;

    public static string Contracts => Devnet.Contracts;

    public static string PrometheusConfig => Path.Combine(Root, "config", "prometheus", "prometheus.yml");

    public static string PrometheusRules => Path.Combine(Root, "config", "prometheus", "rules", "usd1rec.rules.yml");

    public static string PrometheusRuleTests => Path.Combine(Root, "config", "prometheus", "rules", "usd1rec.rules.test.yml");

    public static string AlertmanagerConfig => Path.Combine(Root, "config", "alertmanager", "alertmanager.yml");

    public static string GrafanaDashboard => Path.Combine(Root, "config", "grafana", "dashboards", "usd1rec.json");

    public static string Runbooks => Path.Combine(Root, "docs", "runbooks");

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Usd1Reconciler.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"no Usd1Reconciler.sln above {AppContext.BaseDirectory}");
    }
}
