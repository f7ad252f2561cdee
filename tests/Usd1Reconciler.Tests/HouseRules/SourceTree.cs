namespace Usd1Reconciler.Tests.HouseRules;

/// <summary>
/// The repository as the house-rule tests read it: its root, the C# sources of one project (generated folders left
/// out) and the project files. House rules are checked on the source text, so a rule fails on the commit that breaks
/// it, with a message that names the rule and the file.
/// </summary>
internal static class SourceTree
{
    private static readonly Lazy<string> Root = new(FindRoot);

    /// <summary>The folder that holds <c>Usd1Reconciler.sln</c>.</summary>
    public static string RepositoryRoot => Root.Value;

    /// <summary>Every <c>*.cs</c> file under <paramref name="relativeFolder"/> (such as <c>src/Usd1Reconciler</c>), without <c>bin/</c> and <c>obj/</c>.</summary>
    public static IReadOnlyList<string> CSharpFiles(string relativeFolder)
    {
        var folder = Path.Combine(RepositoryRoot, relativeFolder);
        return Directory.EnumerateFiles(folder, "*.cs", SearchOption.AllDirectories)
            .Where(file => !IsGenerated(file))
            .Order(StringComparer.Ordinal)
            .ToList();
    }

    /// <summary>Every <c>*.csproj</c> under <c>src/</c>, <c>tests/</c> and <c>bench/</c>.</summary>
    public static IReadOnlyList<string> ProjectFiles() =>
        new[] { "src", "tests", "bench" }
            .Select(folder => Path.Combine(RepositoryRoot, folder))
            .Where(Directory.Exists)
            .SelectMany(folder => Directory.EnumerateFiles(folder, "*.csproj", SearchOption.AllDirectories))
            .Where(file => !IsGenerated(file))
            .Order(StringComparer.Ordinal)
            .ToList();

    /// <summary>A path relative to the repository root with forward slashes, as a failure message shows it.</summary>
    public static string Relative(string path) =>
        Path.GetRelativePath(RepositoryRoot, path).Replace(Path.DirectorySeparatorChar, '/');

    private static bool IsGenerated(string path)
    {
        var separator = Path.DirectorySeparatorChar;
        return path.Contains($"{separator}bin{separator}", StringComparison.Ordinal)
            || path.Contains($"{separator}obj{separator}", StringComparison.Ordinal)
            || path.Contains($"{separator}node_modules{separator}", StringComparison.Ordinal);
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Usd1Reconciler.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("no Usd1Reconciler.sln above the test binaries");
    }
}
