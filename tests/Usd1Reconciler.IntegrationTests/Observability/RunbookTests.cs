using System.Text.RegularExpressions;
using Usd1Reconciler.Core.Anomalies;
using Usd1Reconciler.IntegrationTests.Fixtures;

namespace Usd1Reconciler.IntegrationTests.Observability;

/// <summary>Every page an on-call engineer can receive links a runbook with the same four sections.</summary>
[TestFixture]
public sealed partial class RunbookTests
{
    /// <summary>The discrete anomalies the daemon pushes: their alertname is the rule's name, and so is the runbook's.</summary>
    private static readonly string[] PushedAnomalies = Enum.GetNames<AnomalyRule>();

    private static readonly string[] Sections = ["## What it means", "## How to confirm", "## What to do", "## Escalation"];

    private static IEnumerable<string> Alerts() =>
        AlertLine().Matches(File.ReadAllText(RepoPaths.PrometheusRules)).Select(m => m.Groups["name"].Value).Concat(PushedAnomalies);

    [TestCaseSource(nameof(Alerts))]
    public void Runbook_EveryAlert_ExistsWithTheFourSections(string alert)
    {
        var path = Path.Combine(RepoPaths.Runbooks, $"{alert}.md");

        Assert.That(File.Exists(path), Is.True, $"runbook_url of {alert} points at {path}");
        var text = File.ReadAllText(path);
        Assert.That(text, Does.StartWith($"# {alert}\n"));
        Assert.That(Sections.Where(s => !text.Contains(s, StringComparison.Ordinal)), Is.Empty, $"{alert}: sections missing");
    }

    [Test]
    public void RunbookIndex_EveryRunbook_Listed()
    {
        var index = File.ReadAllText(Path.Combine(RepoPaths.Runbooks, "README.md"));

        Assert.That(Alerts().Where(a => !index.Contains($"]({a}.md)", StringComparison.Ordinal)), Is.Empty);
    }

    [GeneratedRegex(@"^\s*- alert:\s*(?<name>\w+)\s*$", RegexOptions.Multiline)]
    private static partial Regex AlertLine();
}
