using System.Net;
using System.Text.Json;
using Usd1Reconciler.IntegrationTests.Fixtures;

namespace Usd1Reconciler.IntegrationTests.Observability;

/// <summary>
/// No Grafana runs here, so the dashboard is checked for what Grafana would need (structure, data source, layout) and
/// every query is parsed by a real, empty Prometheus (a bad expression gets a 400 bad_data).
/// </summary>
[TestFixture]
[Category("Integration")]
public sealed partial class GrafanaDashboardTests
{
    private static readonly string[] MetricContract =
    [
        "usd1_supply_tokens", "usd1_total_supply_tokens", "usd1_reserves_usd", "usd1_coverage_ratio", "usd1_coverage_minimum_ratio",
        "usd1_reconciliation_verdict", "usd1_reconciliation_shortfall_usd", "usd1_reconciliation_last_timestamp_seconds",
        "usd1_reconciliation_last_conclusive_verdict", "usd1_reconciliation_last_conclusive_timestamp_seconds",
        "usd1_ledger_proof_status", "usd1_network_stale", "usd1_network_last_success_timestamp_seconds", "usd1_network_head_lag_seconds",
        "usd1_network_final_block", "usd1_reorgs_total", "usd1_reorg_depth_blocks", "usd1_deep_reorgs_total", "usd1_events_indexed_total",
        "usd1_rpc_requests_total", "usd1_rpc_endpoints_healthy", "usd1_feed_age_seconds", "usd1_feed_stale", "usd1_feed_rejections_total",
        "usd1_anomalies_total", "usd1_alerts_pending",
    ];

    private static GrafanaDashboard Dashboard => GrafanaDashboard.Load(RepoPaths.GrafanaDashboard);

    [System.Text.RegularExpressions.GeneratedRegex(@"\busd1_\w*?_(?<unit>tokens|usd|ratio|days|seconds|total|blocks|bps|info|status|stale|pending|healthy|block)\b")]
    private static partial System.Text.RegularExpressions.Regex MetricName();

    [Test]
    public void Dashboard_Header_FixedUidSchemaAndDataSourceVariable()
    {
        var root = Dashboard.Root;
        var variables = root.GetProperty("templating").GetProperty("list").EnumerateArray().ToList();

        Assert.Multiple(() =>
        {
            Assert.That(root.GetProperty("uid").GetString(), Is.EqualTo("usd1rec-overview"), "links and provisioning rely on a fixed uid");
            Assert.That(root.GetProperty("schemaVersion").GetInt32(), Is.InRange(36, 41));
            Assert.That(root.GetProperty("title").GetString(), Is.Not.Empty);
            Assert.That(variables.Any(v => v.GetProperty("name").GetString() == "DS_PROMETHEUS"
                && v.GetProperty("type").GetString() == "datasource" && v.GetProperty("query").GetString() == "prometheus"), Is.True,
                "panels pick their data source through ${DS_PROMETHEUS}");
        });
    }

    [Test]
    public void Panels_Structure_IdsUniqueEveryQueryPanelHasDataSourceTargetsAndLayout()
    {
        var panels = Dashboard.Panels;
        var ids = panels.Select(p => p.GetProperty("id").GetInt32()).ToList();

        Assert.That(ids, Is.Unique, "Grafana addresses panels (links, embeds) by id");
        Assert.Multiple(() =>
        {
            foreach (var panel in panels)
            {
                var name = $"panel {panel.GetProperty("id").GetInt32()} \"{panel.GetProperty("title").GetString()}\"";
                Assert.That(panel.TryGetProperty("gridPos", out var grid), Is.True, $"{name}: gridPos");
                if (grid.ValueKind == JsonValueKind.Object)
                {
                    var (x, w) = (grid.GetProperty("x").GetInt32(), grid.GetProperty("w").GetInt32());
                    Assert.That(grid.GetProperty("h").GetInt32(), Is.Positive, $"{name}: height");
                    Assert.That(x >= 0 && w > 0 && x + w <= 24, Is.True, $"{name}: inside the 24-column grid");
                    Assert.That(grid.GetProperty("y").GetInt32(), Is.Not.Negative, $"{name}: y");
                }

                if (panel.GetProperty("type").GetString() == "row")
                {
                    continue;
                }

                Assert.That(panel.GetProperty("datasource").GetProperty("uid").GetString(), Is.EqualTo("${DS_PROMETHEUS}"), $"{name}: data source");
                var targets = panel.GetProperty("targets").EnumerateArray().ToList();
                Assert.That(targets, Is.Not.Empty, $"{name}: targets");
                Assert.That(targets.Select(t => t.GetProperty("refId").GetString()), Is.Unique, $"{name}: refIds");
                foreach (var target in targets)
                {
                    Assert.That(target.GetProperty("expr").GetString(), Is.Not.Empty, $"{name}: expr");
                    Assert.That(target.GetProperty("datasource").GetProperty("uid").GetString(), Is.EqualTo("${DS_PROMETHEUS}"), $"{name}: target data source");
                }
            }
        });
    }

    [Test]
    public void Panels_Overlap_NoTwoPanelsShareACell()
    {
        var cells = new Dictionary<(int X, int Y), string>();
        foreach (var panel in Dashboard.Panels)
        {
            var grid = panel.GetProperty("gridPos");
            var (x, y, w, h) = (grid.GetProperty("x").GetInt32(), grid.GetProperty("y").GetInt32(), grid.GetProperty("w").GetInt32(), grid.GetProperty("h").GetInt32());
            for (var cx = x; cx < x + w; cx++)
            {
                for (var cy = y; cy < y + h; cy++)
                {
                    Assert.That(cells.TryAdd((cx, cy), panel.GetProperty("title").GetString()!), Is.True,
                        $"\"{panel.GetProperty("title").GetString()}\" overlaps \"{cells.GetValueOrDefault((cx, cy))}\" at {cx},{cy}");
                }
            }
        }
    }

    [Test]
    public void Panels_StatusStats_MapStaleMismatchAndVerdictToColouredText()
    {
        var texts = Dashboard.Panels
            .Where(p => p.GetProperty("type").GetString() == "stat")
            .SelectMany(p => p.GetProperty("fieldConfig").GetProperty("defaults").GetProperty("mappings").EnumerateArray())
            .SelectMany(m => m.GetProperty("options").EnumerateObject().Select(o => (Text: o.Value.GetProperty("text").GetString(), Color: o.Value.GetProperty("color").GetString())))
            .ToList();

        Assert.That(texts, Does.Contain(("STALE", "red")), "a stale network or feed must be visibly marked");
        Assert.That(texts, Does.Contain(("MISMATCH", "red")));
        Assert.That(texts, Does.Contain(("UNDERCOLLATERALIZED", "red")));
        Assert.That(texts, Does.Contain(("COVERED", "green")));
        Assert.That(texts, Does.Contain(("DOWN", "red")));
    }

    [Test]
    public void Panels_Units_TokensInUsd1DollarsInUsd()
    {
        var wrong = new List<string>();
        foreach (var panel in Dashboard.Panels.Where(p => p.GetProperty("type").GetString() != "row"))
        {
            var exprs = panel.GetProperty("targets").EnumerateArray().Select(t => t.GetProperty("expr").GetString()!).ToList();
            var unit = panel.GetProperty("fieldConfig").GetProperty("defaults").TryGetProperty("unit", out var u) ? u.GetString() : null;
            // The unit follows the metrics' own unit suffix, when every metric a panel shows has the same one.
            var suffixes = exprs.SelectMany(e => MetricName().Matches(e).Select(m => m.Groups["unit"].Value)).Distinct().ToList();
            var tokens = suffixes is ["tokens"];
            var dollars = suffixes is ["usd"];
            if ((tokens && unit != "suffix: USD1") || (dollars && unit != "currencyUSD"))
            {
                wrong.Add($"\"{panel.GetProperty("title").GetString()}\": unit {unit ?? "(none)"}");
            }
        }

        Assert.That(wrong, Is.Empty, "supply in tokens is shown as USD1, reserves as USD: one token is promised to be a dollar, it is not one");
    }

    [Test]
    public void Panels_CoverageHistory_SevenDaysWithTheMinimumAsThreshold()
    {
        var history = Dashboard.Panels.Single(p => p.GetProperty("title").GetString()!.StartsWith("Coverage history", StringComparison.Ordinal));
        var steps = history.GetProperty("fieldConfig").GetProperty("defaults").GetProperty("thresholds").GetProperty("steps").EnumerateArray().ToList();

        Assert.That(history.GetProperty("timeFrom").GetString(), Is.EqualTo("7d"));
        Assert.That(steps[0].GetProperty("color").GetString(), Is.EqualTo("red"), "below 100 % is red");
        Assert.That(steps[1].GetProperty("value").GetDouble(), Is.EqualTo(1.0));
        Assert.That(history.GetProperty("targets").EnumerateArray().Select(t => t.GetProperty("expr").GetString()), Has.Some.Contains("usd1_coverage_minimum_ratio"));
    }

    [Test]
    public void Queries_MetricContract_EveryMetricShownSomewhere()
    {
        var all = string.Join('\n', Dashboard.Queries.Select(q => q.Expr));

        Assert.That(MetricContract.Where(m => !all.Contains(m, StringComparison.Ordinal)), Is.Empty, "metrics of the contract no panel shows");
    }

    [Test]
    public async Task Queries_EmptyPrometheus_EveryExpressionParses()
    {
        await using var prometheus = await PrometheusServer.StartAsync();
        var queries = Dashboard.Queries;
        var variableQueries = Dashboard.Root.GetProperty("templating").GetProperty("list").EnumerateArray()
            .Where(v => v.GetProperty("type").GetString() == "query")
            .Select(v => v.GetProperty("definition").GetString()!)
            .ToList();

        // Proves the check can fail: Prometheus must reject a broken expression with 400 bad_data.
        var broken = Assert.ThrowsAsync<PrometheusQueryException>(() => prometheus.QueryAsync("sum by (network) (rate(usd1_reorgs_total[5m])"));
        Assert.That(broken!.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(broken.ErrorType, Is.EqualTo("bad_data"));

        Assert.That(queries, Has.Count.GreaterThanOrEqualTo(30));
        var failures = new List<string>();
        foreach (var query in queries)
        {
            try
            {
                await prometheus.QueryAsync(query.Expanded);
            }
            catch (PrometheusQueryException e)
            {
                failures.Add($"{query}: {e.Error}");
            }
        }

        foreach (var definition in variableQueries)
        {
            // label_values(<selector>, label) is Grafana's, not PromQL: check the selector inside it.
            var selector = definition.StartsWith("label_values(", StringComparison.Ordinal)
                ? definition["label_values(".Length..definition.LastIndexOf(',')]
                : definition;
            try
            {
                await prometheus.QueryAsync(selector);
            }
            catch (PrometheusQueryException e)
            {
                failures.Add($"variable {definition}: {e.Error}");
            }
        }

        Assert.That(failures, Is.Empty);
        TestContext.Out.WriteLine($"{queries.Count} panel queries and {variableQueries.Count} variable queries parsed by Prometheus");
    }
}
