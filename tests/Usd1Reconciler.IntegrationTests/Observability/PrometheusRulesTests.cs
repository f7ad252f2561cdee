using System.Text.RegularExpressions;
using Usd1Reconciler.IntegrationTests.Fixtures;

namespace Usd1Reconciler.IntegrationTests.Observability;

/// <summary>
/// The operator-facing Prometheus files, checked by the real promtool (so CI counts them) and by a real Prometheus
/// that loads the rules: syntax, every alert unit-tested both ways, and every alert carrying what on-call needs.
/// </summary>
[TestFixture]
[Category("Integration")]
public sealed partial class PrometheusRulesTests
{
    private const string Promtool = "/usr/bin/promtool";

    private static readonly string[] Severities = ["page", "ticket"];

    private static IReadOnlyList<string> AlertNames() =>
        [.. AlertLine().Matches(File.ReadAllText(RepoPaths.PrometheusRules)).Select(m => m.Groups["name"].Value)];

    [Test]
    public async Task PromtoolCheckConfig_ExampleConfig_ValidAndLoadsTheRuleFile()
    {
        var result = await CommandLineTool.RunAsync(Promtool, "check", "config", RepoPaths.PrometheusConfig);

        Assert.That(result.ExitCode, Is.Zero, result.Output);
        Assert.That(result.Output, Does.Contain("SUCCESS: 1 rule files found").And.Contain("is valid prometheus config file syntax"),
            "the example config must reference the rules file it ships with, by a path relative to itself");
        Assert.That(result.Output, Does.Contain($"SUCCESS: {AlertNames().Count} rules found"));
    }

    [Test]
    public async Task PromtoolTestRules_UnitTests_AllPass()
    {
        var result = await CommandLineTool.RunAsync(Promtool, "test", "rules", RepoPaths.PrometheusRuleTests);

        Assert.That(result.ExitCode, Is.Zero, result.Output);
        Assert.That(result.Output, Does.Contain("SUCCESS").And.Not.Contain("FAILED"), result.Output);
    }

    [Test]
    public void RuleUnitTests_EveryAlert_TestedFiringAndNotFiring()
    {
        // Each `alertname:` of an alert_rule_test is followed by its exp_alerts: `[]` is a "must not fire" check, a list
        // is a "fires with exactly these labels and annotations" check. Every alert needs both.
        var tests = File.ReadAllText(RepoPaths.PrometheusRuleTests);
        var checks = AlertTestCase().Matches(tests).Select(m => (Name: m.Groups["name"].Value, Fires: m.Groups["empty"].Value.Length == 0)).ToList();

        Assert.That(AlertNames(), Is.Not.Empty);
        Assert.Multiple(() =>
        {
            foreach (var alert in AlertNames())
            {
                Assert.That(checks, Has.Some.EqualTo((alert, true)), $"{alert}: no test that it fires");
                Assert.That(checks, Has.Some.EqualTo((alert, false)), $"{alert}: no test that it stays quiet");
            }
        });
    }

    [Test]
    public async Task LoadedRules_EveryAlert_HasSeveritySummaryDescriptionAndAnExistingRunbook()
    {
        await using var prometheus = await PrometheusServer.StartAsync(new PrometheusServerOptions { RuleFiles = [RepoPaths.PrometheusRules] });

        var rules = (await prometheus.GetRuleGroupsAsync()).EnumerateArray()
            .SelectMany(g => g.GetProperty("rules").EnumerateArray())
            .Where(r => r.GetProperty("type").GetString() == "alerting")
            .ToList();

        Assert.That(rules.Select(r => r.GetProperty("name").GetString()), Is.EquivalentTo(AlertNames()), "Prometheus loaded every alert in the file");
        Assert.Multiple(() =>
        {
            foreach (var rule in rules)
            {
                var name = rule.GetProperty("name").GetString()!;
                var labels = rule.GetProperty("labels");
                var annotations = rule.GetProperty("annotations");
                Assert.That(rule.GetProperty("health").GetString(), Is.Not.EqualTo("err"), $"{name}: {rule}");
                Assert.That(labels.GetProperty("severity").GetString(), Is.AnyOf(Severities), $"{name}: Alertmanager routes on severity");
                Assert.That(annotations.TryGetProperty("summary", out _), Is.True, $"{name}: summary");
                Assert.That(annotations.TryGetProperty("description", out _), Is.True, $"{name}: description");
                var runbook = annotations.GetProperty("runbook_url").GetString()!;
                Assert.That(runbook, Does.EndWith($"/docs/runbooks/{name}.md"), $"{name}: runbook named after the alert");
                Assert.That(File.Exists(Path.Combine(RepoPaths.Runbooks, $"{name}.md")), Is.True, $"{name}: runbook page exists");
            }
        });
    }

    [GeneratedRegex(@"^\s*- alert:\s*(?<name>\w+)\s*$", RegexOptions.Multiline)]
    private static partial Regex AlertLine();

    [GeneratedRegex(@"^\s*alertname:\s*(?<name>\w+)\s*\n\s*exp_alerts:\s*(?<empty>\[\])?", RegexOptions.Multiline)]
    private static partial Regex AlertTestCase();
}
