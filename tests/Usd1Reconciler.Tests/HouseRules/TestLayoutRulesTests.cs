namespace Usd1Reconciler.Tests.HouseRules;

/// <summary>
/// House rule "tests mirror the source": a unit test of the type in <c>src/Usd1Reconciler.Evm/Indexing/LogRangeSizer.cs</c>
/// lives in <c>tests/Usd1Reconciler.Tests/Evm/Indexing/LogRangeSizerTests.cs</c>. The first folder names the source
/// project without its <c>Usd1Reconciler.</c> prefix (<c>Host</c> for the daemon's own <c>src/Usd1Reconciler</c>, which has
/// no suffix to take), the rest is the type's folder in that project. So a reader finds the tests of a type without a
/// search, and a test left behind by a move fails here instead of drifting.
/// </summary>
public sealed class TestLayoutRulesTests
{
    private const string UnitTestsFolder = "tests/Usd1Reconciler.Tests";

    /// <summary>The test folder that mirrors <c>src/Usd1Reconciler</c>.</summary>
    private const string HostFolder = "Host";

    /// <summary>
    /// Top-level folders of the unit-test project that mirror no source project: cross-cutting rules and shared test
    /// support (recorded replies, handlers). Everything else must be named after a source project.
    /// </summary>
    private static readonly HashSet<string> NonProjectFolders = new(StringComparer.Ordinal) { "HouseRules", "Support", "bin", "obj" };

    /// <summary>
    /// Test files that are about several types or about no type at all, so no single <c>&lt;Type&gt;.cs</c> can name
    /// them. Keep this short: a test of one type belongs in that type's <c>&lt;Type&gt;Tests.cs</c>.
    /// Paths are relative to <c>tests/Usd1Reconciler.Tests</c>.
    /// </summary>
    private static readonly Dictionary<string, string> SeveralTypes = new(StringComparer.Ordinal)
    {
        // Networks:N:MaxRequestsPerSecond through ConfigLoader and OptionsValidator together, as an operator sets it.
        // A recorded unknown-version reply through SolanaRpcClient, IndexPassRunner and StoreMetricsRefresher: the page's path.
        ["Host/Metrics/UnsupportedTransactionPageTests.cs"] = "SolanaRpcClient + IndexPassRunner + StoreMetricsRefresher",
        // The Reconciler's verdict with the run-risk inputs (RedemptionVelocity, RunRisk, stress from observation) together.
        ["Core/Reconciliation/ReconcilerRunRiskTests.cs"] = "Reconciler + RunRisk",
        // A stored report's runRisk object through ReconciliationMetricsRefresher into the run-risk gauges.
        ["Host/Metrics/RunRiskMetricsTests.cs"] = "ReconciliationMetricsRefresher + ReconcilerMetrics",
        ["Host/Configuration/RequestBudgetOptionsTests.cs"] = "ConfigLoader + OptionsValidator",
        // Networks:N:CircuitBreak from the configuration file into both adapters' RPC settings.
        ["Host/Configuration/CircuitBreakOptionsTests.cs"] = "ConfigLoader + NetworkSettingsFactory",
        // JsonRpcClient applying RequestBudget and 429 Retry-After to real calls and batches.
        ["JsonRpc/JsonRpcRateLimitTests.cs"] = "JsonRpcClient + RequestBudget",
        // JsonRpcClient with EndpointTracker: backoff, circuit breaker, trust, return to the primary.
        ["JsonRpc/JsonRpcResilienceTests.cs"] = "JsonRpcClient + EndpointTracker",
        // A catalogue of hostile documents through ReserveFeedPoller, every parser and a real store.
        ["Reserves/HostileFeedCatalogueTests.cs"] = "ReserveFeedPoller + parsers + store",
        // Migration 0006 is a SQL script (Migrations/0006_unpaged_anomalies.sql), not a type.
        ["Storage/Migrations/UnpagedAnomaliesMigrationTests.cs"] = "SqliteMigrator + 0006_unpaged_anomalies.sql",
    };

    [Test]
    public void UnitTests_EachTestFile_MirrorsTheFolderOfTheTypeItTests()
    {
        var testRoot = Path.Combine(SourceTree.RepositoryRoot, UnitTestsFolder);
        var problems = new List<string>();

        foreach (var file in SourceTree.CSharpFiles(UnitTestsFolder).Where(f => f.EndsWith("Tests.cs", StringComparison.Ordinal)))
        {
            var relative = Path.GetRelativePath(testRoot, file).Replace(Path.DirectorySeparatorChar, '/');
            var parts = relative.Split('/');
            if (parts.Length == 1)
            {
                problems.Add($"{SourceTree.Relative(file)} sits at the root of the test project; put it under <Project>/<Folder>/ or HouseRules/");
                continue;
            }

            if (NonProjectFolders.Contains(parts[0]) || SeveralTypes.ContainsKey(relative))
            {
                continue;
            }

            var sourceProject = SourceProjectFolder(parts[0]);
            if (!Directory.Exists(Path.Combine(SourceTree.RepositoryRoot, sourceProject)))
            {
                problems.Add($"{SourceTree.Relative(file)}: test folder '{parts[0]}' names no source project ({sourceProject} does not exist)");
                continue;
            }

            var typeName = Path.GetFileName(file)[..^"Tests.cs".Length];
            var sourceFolder = Path.Combine([SourceTree.RepositoryRoot, sourceProject, .. parts[1..^1]]);
            if (!Tests(sourceFolder, typeName))
            {
                problems.Add($"{SourceTree.Relative(file)}: no {typeName}.cs in {SourceTree.Relative(sourceFolder)}; {WhereItBelongs(typeName)}");
            }
        }

        Assert.That(problems, Is.Empty,
            "House rule 'tests mirror the source' (tests/Usd1Reconciler.Tests/<Project>/<Folder>/<Type>Tests.cs, see TestLayoutRulesTests):\n" +
            string.Join("\n", problems));
    }

    [Test]
    public void SeveralTypesAllowList_EachEntry_StillExists()
    {
        // A stale entry would let a new file of that name skip the rule.
        var missing = SeveralTypes.Keys
            .Where(relative => !File.Exists(Path.Combine(SourceTree.RepositoryRoot, UnitTestsFolder, relative)))
            .ToList();

        Assert.That(missing, Is.Empty,
            "House rule 'tests mirror the source': allow-list entries in TestLayoutRulesTests.SeveralTypes without a file: " +
            string.Join(", ", missing));
    }

    /// <summary><c>Evm</c> → <c>src/Usd1Reconciler.Evm</c>; <c>Host</c> → <c>src/Usd1Reconciler</c>.</summary>
    private static string SourceProjectFolder(string testFolder) =>
        testFolder == HostFolder ? "src/Usd1Reconciler" : $"src/Usd1Reconciler.{testFolder}";

    /// <summary>
    /// Whether <paramref name="sourceFolder"/> holds <c>&lt;typeName&gt;.cs</c>, or a partial <c>&lt;Type&gt;.&lt;Concern&gt;.cs</c>
    /// with <c>Type + Concern == typeName</c> (<c>SqliteSupplyStoreTokenIdentityTests</c> tests
    /// <c>SqliteSupplyStore.TokenIdentity.cs</c>).
    /// </summary>
    private static bool Tests(string sourceFolder, string typeName) =>
        Directory.Exists(sourceFolder)
        && Directory.EnumerateFiles(sourceFolder, "*.cs", SearchOption.TopDirectoryOnly)
            .Select(Path.GetFileNameWithoutExtension)
            .Any(name => name!.Replace(".", string.Empty, StringComparison.Ordinal) == typeName);

    /// <summary>Where the test should live, if a source file of that type exists anywhere under <c>src/</c>.</summary>
    private static string WhereItBelongs(string typeName)
    {
        var source = Directory.EnumerateFiles(Path.Combine(SourceTree.RepositoryRoot, "src"), "*.cs", SearchOption.AllDirectories)
            .Where(path => !path.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .Where(path => !path.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)
            .FirstOrDefault(path => Path.GetFileNameWithoutExtension(path).Replace(".", string.Empty, StringComparison.Ordinal) == typeName);
        if (source is null)
        {
            return $"no {typeName}.cs exists under src/: name the file after the type it tests, or add it to TestLayoutRulesTests.SeveralTypes with a reason";
        }

        var relative = SourceTree.Relative(source).Split('/');
        var project = relative[1] switch
        {
            "Usd1Reconciler" => HostFolder,
            var name when name.StartsWith("Usd1Reconciler.", StringComparison.Ordinal) => name["Usd1Reconciler.".Length..],
            var name => name,
        };
        var folder = string.Join('/', relative[2..^1]);
        var place = folder.Length == 0 ? project : $"{project}/{folder}";
        return $"the type is in {SourceTree.Relative(source)}, so the test belongs in {UnitTestsFolder}/{place}/{typeName}Tests.cs";
    }
}
