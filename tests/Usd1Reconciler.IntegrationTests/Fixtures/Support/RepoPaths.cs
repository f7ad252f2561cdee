namespace Usd1Reconciler.IntegrationTests.Fixtures;

/// <summary>Locates the repository and the pinned devnet tools from the test binary's folder.</summary>
internal static class RepoPaths
{
    public static string Root { get; } = FindRoot();

    public static string DevnetTools => Path.Combine(Root, "tools", "devnet");

    public static string NodeModules => Path.Combine(DevnetTools, "node_modules");

    public static string Anvil => Path.Combine(NodeModules, "@foundry-rs", "anvil-linux-amd64", "bin", "anvil");

    public static string Contracts => Path.Combine(Root, "contracts");

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
