using System.Text.Json;
using System.Text.RegularExpressions;

namespace Usd1Reconciler.IntegrationTests.Fixtures;

/// <summary>
/// A Grafana dashboard JSON read the way a test needs it: every panel (rows' children included) and every PromQL
/// query with Grafana's variables expanded to what "All" and the built-ins would send, so each can be run against a
/// real Prometheus.
/// <code>
/// foreach (var query in GrafanaDashboard.Load(RepoPaths.GrafanaDashboard).Queries)
///     Assert.That((await prometheus.QueryAsync(query.Expanded)).Samples, Is.Not.Empty, query.ToString());
/// </code>
/// </summary>
internal sealed partial class GrafanaDashboard
{
    /// <summary>Values Grafana substitutes for its built-in variables; ranges are kept short so a fresh Prometheus has data.</summary>
    private static readonly Dictionary<string, string> BuiltIns = new(StringComparer.Ordinal)
    {
        ["__rate_interval"] = "1m",
        ["__interval"] = "15s",
        ["__interval_ms"] = "15000",
        ["__range"] = "1h",
        ["__range_s"] = "3600",
        ["__range_ms"] = "3600000",
    };

    private readonly Dictionary<string, string> _variables;

    private GrafanaDashboard(JsonElement root)
    {
        Root = root;
        _variables = new Dictionary<string, string>(BuiltIns, StringComparer.Ordinal);
        if (root.TryGetProperty("templating", out var templating) && templating.TryGetProperty("list", out var list))
        {
            foreach (var variable in list.EnumerateArray())
            {
                var name = variable.GetProperty("name").GetString()!;
                _variables[name] = variable.TryGetProperty("allValue", out var all) && all.ValueKind == JsonValueKind.String
                    ? all.GetString()!
                    : ".*";
            }
        }

        Panels = [.. Flatten(root.GetProperty("panels"))];
        Queries = [.. Panels.SelectMany(QueriesOf)];
    }

    public JsonElement Root { get; }

    /// <summary>Every panel, depth first; a row's <c>panels</c> (collapsed rows keep their children there) are included.</summary>
    public IReadOnlyList<JsonElement> Panels { get; }

    /// <summary>Every target with an <c>expr</c>, in panel order.</summary>
    public IReadOnlyList<DashboardQuery> Queries { get; }

    public static GrafanaDashboard Load(string path)
    {
        using var document = JsonDocument.Parse(File.ReadAllText(path));
        return new GrafanaDashboard(document.RootElement.Clone());
    }

    /// <summary>Replaces <c>$name</c>, <c>${name}</c>, <c>${name:format}</c> and <c>[[name]]</c> with the variable's "All" value or built-in.</summary>
    public string Expand(string text) => VariableReference().Replace(text, m =>
    {
        var name = m.Groups["a"].Success ? m.Groups["a"].Value : m.Groups["b"].Success ? m.Groups["b"].Value : m.Groups["c"].Value;
        return _variables.TryGetValue(name, out var value) ? value : m.Value;
    });

    private static IEnumerable<JsonElement> Flatten(JsonElement panels)
    {
        foreach (var panel in panels.EnumerateArray())
        {
            yield return panel;
            if (panel.TryGetProperty("panels", out var children))
            {
                foreach (var child in Flatten(children))
                {
                    yield return child;
                }
            }
        }
    }

    private IEnumerable<DashboardQuery> QueriesOf(JsonElement panel)
    {
        if (!panel.TryGetProperty("targets", out var targets))
        {
            yield break;
        }

        var id = panel.TryGetProperty("id", out var i) ? i.GetInt32() : -1;
        var title = panel.TryGetProperty("title", out var t) ? t.GetString() ?? "" : "";
        foreach (var target in targets.EnumerateArray())
        {
            if (target.TryGetProperty("expr", out var expr) && expr.GetString() is { } text)
            {
                var refId = target.TryGetProperty("refId", out var r) ? r.GetString() ?? "" : "";
                yield return new DashboardQuery(id, title, refId, text, Expand(text));
            }
        }
    }

    [GeneratedRegex(@"\$\{(?<a>\w+)(?::\w+)?\}|\[\[(?<b>\w+)\]\]|\$(?<c>\w+)")]
    private static partial Regex VariableReference();
}
