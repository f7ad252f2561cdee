using System.Text.RegularExpressions;

namespace Usd1Reconciler.Tests.HouseRules;

/// <summary>
/// House rule (issue 13.3): inside the host (<c>src/Usd1Reconciler</c>) each folder's dependencies point one way —
/// no folder depends, directly or through others, on a folder that depends on it. A cycle is what let `LoggingSetup`
/// sit in Cli while the daemon host needed it, and the daemon's services sit in Hosting while the jobs needed them.
/// A dependency is a <c>using Usd1Reconciler.X</c>, a qualified <c>Usd1Reconciler.X.…</c>, or a relative qualified
/// <c>X.Type</c> naming a type declared in folder X (doc-comment crefs count: they are compiled references too).
/// </summary>
public sealed partial class HostFolderDependencyRulesTests
{
    private const string Host = "src/Usd1Reconciler";

    [Test]
    public void HostFolders_Dependencies_FormNoCycle()
    {
        var graph = ReadGraph();
        var cycles = StronglyConnected(graph).Where(c => c.Count > 1).ToList();
        var messages = cycles.Select(c => Describe(c, graph)).ToList();
        Assert.That(messages, Is.Empty, "house rule 'host folders depend one way' (issue 13.3): folder cycles in " + Host + ":\n" + string.Join("\n", messages));
    }

    [Test]
    public void ReadGraph_KnownOneWayDependency_IsSeen()
    {
        // The reader must see real dependencies, or the cycle rule above would pass on an empty graph.
        var graph = ReadGraph();
        Assert.That(graph.TryGetValue("Hosting", out var hosting) && hosting.ContainsKey("Scheduling"), Is.True, "Hosting adds the schedules (ScheduleRegistration.AddSchedules)");
        Assert.That(graph.TryGetValue("Cli", out var cli) && cli.ContainsKey("Composition"), Is.True, "every verb opens its CommandContext from the one composition");
    }

    /// <summary>folder → (folder it uses → first place it does so, as file:line).</summary>
    private static Dictionary<string, Dictionary<string, string>> ReadGraph()
    {
        var root = Path.Combine(SourceTree.RepositoryRoot, Host);
        var files = SourceTree.CSharpFiles(Host)
            .Select(f => (Path: f, Folder: FolderOf(root, f)))
            .Where(f => f.Folder is not null)
            .ToList();
        var folders = files.Select(f => f.Folder!).ToHashSet(StringComparer.Ordinal);
        var typesByFolder = folders.ToDictionary(
            folder => folder,
            folder => files.Where(f => f.Folder == folder)
                .SelectMany(f => DeclaredType().Matches(File.ReadAllText(f.Path)).Select(m => m.Groups["name"].Value))
                .ToHashSet(StringComparer.Ordinal),
            StringComparer.Ordinal);

        var graph = folders.ToDictionary(f => f, _ => new Dictionary<string, string>(StringComparer.Ordinal), StringComparer.Ordinal);
        foreach (var (path, folder) in files)
        {
            var lines = File.ReadAllLines(path);
            for (var i = 0; i < lines.Length; i++)
            {
                var line = lines[i];
                var trimmed = line.TrimStart();
                if (trimmed.StartsWith("//", StringComparison.Ordinal) && !trimmed.StartsWith("///", StringComparison.Ordinal))
                {
                    continue;
                }

                var used = FullyQualified().Matches(line).Select(m => m.Groups["folder"].Value)
                    .Concat(RelativeQualified().Matches(line)
                        .Where(m => typesByFolder.TryGetValue(m.Groups["folder"].Value, out var types) && types.Contains(m.Groups["type"].Value))
                        .Select(m => m.Groups["folder"].Value));
                foreach (var target in used)
                {
                    if (target != folder && folders.Contains(target))
                    {
                        graph[folder!].TryAdd(target, $"{SourceTree.Relative(path)}:{i + 1}");
                    }
                }
            }
        }

        return graph;
    }

    /// <summary>The first folder below the host's root; null for files at the root (Program.cs wires everything).</summary>
    private static string? FolderOf(string root, string file)
    {
        var relative = Path.GetRelativePath(root, file);
        var separator = relative.IndexOf(Path.DirectorySeparatorChar, StringComparison.Ordinal);
        return separator < 0 ? null : relative[..separator];
    }

    /// <summary>Tarjan's strongly connected components: every folder in a component of two or more is on a cycle.</summary>
    private static List<List<string>> StronglyConnected(Dictionary<string, Dictionary<string, string>> graph)
    {
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        var low = new Dictionary<string, int>(StringComparer.Ordinal);
        var stack = new Stack<string>();
        var onStack = new HashSet<string>(StringComparer.Ordinal);
        var components = new List<List<string>>();
        foreach (var node in graph.Keys.Order(StringComparer.Ordinal))
        {
            if (!index.ContainsKey(node))
            {
                Visit(node);
            }
        }

        return components;

        void Visit(string node)
        {
            index[node] = low[node] = index.Count;
            stack.Push(node);
            onStack.Add(node);
            foreach (var next in graph[node].Keys.Order(StringComparer.Ordinal))
            {
                if (!index.TryGetValue(next, out var nextIndex))
                {
                    Visit(next);
                    low[node] = Math.Min(low[node], low[next]);
                }
                else if (onStack.Contains(next))
                {
                    low[node] = Math.Min(low[node], nextIndex);
                }
            }

            if (low[node] == index[node])
            {
                var component = new List<string>();
                string popped;
                do
                {
                    popped = stack.Pop();
                    onStack.Remove(popped);
                    component.Add(popped);
                }
                while (popped != node);
                components.Add(component);
            }
        }
    }

    /// <summary>One cycle through the component, each step with the file and line that makes it.</summary>
    private static string Describe(List<string> component, Dictionary<string, Dictionary<string, string>> graph)
    {
        var members = component.ToHashSet(StringComparer.Ordinal);
        var start = component.Order(StringComparer.Ordinal).First();
        var path = FindCycle(start, start, members, graph, [start]) ?? [start];
        var steps = path.Zip(path.Skip(1)).Select(step => $"  {step.First} → {step.Second} ({graph[step.First][step.Second]})");
        return $"cycle {string.Join(" → ", path)}:\n{string.Join("\n", steps)}";
    }

    private static List<string>? FindCycle(string start, string at, HashSet<string> members, Dictionary<string, Dictionary<string, string>> graph, List<string> path)
    {
        foreach (var next in graph[at].Keys.Where(members.Contains).Order(StringComparer.Ordinal))
        {
            if (next == start)
            {
                return [.. path, start];
            }

            if (!path.Contains(next) && FindCycle(start, next, members, graph, [.. path, next]) is { } found)
            {
                return found;
            }
        }

        return null;
    }

    [GeneratedRegex(@"\b(?:class|record|struct|interface|enum)\s+(?<name>[A-Z]\w*)")]
    private static partial Regex DeclaredType();

    [GeneratedRegex(@"\bUsd1Reconciler\.(?<folder>[A-Z]\w*)\b")]
    private static partial Regex FullyQualified();

    [GeneratedRegex(@"(?<![\w.])(?<folder>[A-Z]\w*)\.(?<type>[A-Z]\w*)")]
    private static partial Regex RelativeQualified();
}
