using System.Xml;
using System.Xml.Linq;

namespace Usd1Reconciler.Tests.HouseRules;

/// <summary>
/// House rule "project references point host → adapters → core": Core references no project of ours; the adapters
/// (JsonRpc, Storage, Reserves, Evm, Solana) reference only Core and JsonRpc; the daemon host (src/Usd1Reconciler)
/// references only Core and the adapters — never Usd1Reconciler.Devnet or Usd1Reconciler.Demo, which send
/// transactions; and nothing in src/ references a test or benchmark project.
/// </summary>
[TestFixture]
public sealed class ProjectReferenceRulesTests
{
    private const string Rule = "house rule 'project references point host → adapters → core'";

    private static readonly string[] Adapters =
        ["Usd1Reconciler.JsonRpc", "Usd1Reconciler.Storage", "Usd1Reconciler.Reserves", "Usd1Reconciler.Evm", "Usd1Reconciler.Solana"];

    [Test]
    public void ProjectReferences_Core_ReferencesNoProject()
    {
        var broken = ReferencesOf("Usd1Reconciler.Core").Select(Describe).ToList();

        Assert.That(broken, Is.Empty, $"{Rule}: Core is pure and depends on nothing of ours:\n{string.Join('\n', broken)}");
    }

    [Test]
    public void ProjectReferences_Adapters_ReferenceOnlyCoreAndJsonRpc()
    {
        var broken = Adapters
            .SelectMany(ReferencesOf)
            .Where(reference => reference.Target is not ("Usd1Reconciler.Core" or "Usd1Reconciler.JsonRpc") || reference.Target == reference.Project)
            .Select(Describe)
            .ToList();

        Assert.That(broken, Is.Empty, $"{Rule}: an adapter may use Core and the JSON-RPC transport only, never the host, another adapter or the devnets:\n{string.Join('\n', broken)}");
    }

    [Test]
    public void ProjectReferences_Host_ReferencesOnlyCoreAndAdapters()
    {
        var allowed = Adapters.Append("Usd1Reconciler.Core").ToHashSet(StringComparer.Ordinal);
        var references = ReferencesOf("Usd1Reconciler");
        var broken = references.Where(reference => !allowed.Contains(reference.Target)).Select(Describe).ToList();

        Assert.That(references, Is.Not.Empty, "the host's project file was read (it references Core and the adapters)");
        Assert.That(broken, Is.Empty, $"{Rule}: the daemon (usd1rec) never references the devnets or the demo, which send transactions and run npm:\n{string.Join('\n', broken)}");
    }

    [Test]
    public void ProjectReferences_SourceProjects_ReferenceNoTestOrBenchmarkProject()
    {
        var broken = AllReferences()
            .Where(reference => reference.ProjectFile.StartsWith("src/", StringComparison.Ordinal) && !reference.TargetFile.StartsWith("src/", StringComparison.Ordinal))
            .Select(Describe)
            .ToList();

        Assert.That(broken, Is.Empty, $"{Rule}: nothing in src/ references tests/ or bench/:\n{string.Join('\n', broken)}");
    }

    [Test]
    public void ProjectReferences_Demo_ReferencedOnlyByIntegrationTests()
    {
        var broken = AllReferences()
            .Where(reference => reference.Target == "Usd1Reconciler.Demo" && reference.Project != "Usd1Reconciler.IntegrationTests")
            .Select(Describe)
            .ToList();

        Assert.That(broken, Is.Empty, $"{Rule}: usd1rec-demo is a leaf executable (its own test runs it); nothing builds on it:\n{string.Join('\n', broken)}");
    }

    [Test]
    public void ReferencesIn_ProjectReferencingTheDemo_ReportsTheLine()
    {
        // The rules above are only as good as the reader: a violating project file must come out with its line.
        const string text = """
            <Project Sdk="Microsoft.NET.Sdk">
              <ItemGroup>
                <ProjectReference Include="..\Usd1Reconciler.Core\Usd1Reconciler.Core.csproj" />
                <ProjectReference Include="..\Usd1Reconciler.Demo\Usd1Reconciler.Demo.csproj" />
              </ItemGroup>
            </Project>
            """;
        var file = Path.Combine(SourceTree.RepositoryRoot, "src", "Usd1Reconciler", "Usd1Reconciler.csproj");

        var references = ReferencesIn(file, XDocument.Parse(text, LoadOptions.SetLineInfo));

        Assert.That(references.Select(Describe), Is.EqualTo(new[]
        {
            "src/Usd1Reconciler/Usd1Reconciler.csproj line 3 references src/Usd1Reconciler.Core/Usd1Reconciler.Core.csproj",
            "src/Usd1Reconciler/Usd1Reconciler.csproj line 4 references src/Usd1Reconciler.Demo/Usd1Reconciler.Demo.csproj",
        }));
    }

    private static List<ProjectReferenceLine> ReferencesOf(string project)
    {
        var file = SourceTree.ProjectFiles().SingleOrDefault(path => Path.GetFileNameWithoutExtension(path) == project)
            ?? throw new AssertionException($"{Rule}: no {project}.csproj under src/ (was it renamed? update the rule)");
        return ReferencesIn(file, XDocument.Load(file, LoadOptions.SetLineInfo));
    }

    private static List<ProjectReferenceLine> AllReferences() =>
        SourceTree.ProjectFiles().SelectMany(file => ReferencesIn(file, XDocument.Load(file, LoadOptions.SetLineInfo))).ToList();

    private static List<ProjectReferenceLine> ReferencesIn(string projectFile, XDocument document) =>
        document.Descendants()
            .Where(element => element.Name.LocalName == "ProjectReference" && element.Attribute("Include") is not null)
            .Select(element =>
            {
                var include = element.Attribute("Include")!.Value.Replace('\\', Path.DirectorySeparatorChar);
                var target = Path.GetFullPath(Path.Combine(Path.GetDirectoryName(projectFile)!, include));
                return new ProjectReferenceLine(
                    Path.GetFileNameWithoutExtension(projectFile),
                    SourceTree.Relative(projectFile),
                    ((IXmlLineInfo)element).LineNumber,
                    Path.GetFileNameWithoutExtension(target),
                    SourceTree.Relative(target));
            })
            .ToList();

    private static string Describe(ProjectReferenceLine reference) =>
        $"{reference.ProjectFile} line {reference.Line} references {reference.TargetFile}";

    private sealed record ProjectReferenceLine(string Project, string ProjectFile, int Line, string Target, string TargetFile);
}
