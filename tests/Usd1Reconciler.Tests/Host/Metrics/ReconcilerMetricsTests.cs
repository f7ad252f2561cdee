using System.Text.RegularExpressions;
using Prometheus;
using Usd1Reconciler.Metrics;

namespace Usd1Reconciler.Tests.Host.Metrics;

public sealed partial class ReconcilerMetricsTests
{
    private static (ReconcilerMetrics Metrics, string Text) Exported()
    {
        var metrics = new ReconcilerMetrics(Prometheus.Metrics.NewCustomRegistry());
        // Touch one series of every labelled metric so that it is exported with its HELP and TYPE lines.
        foreach (var property in typeof(ReconcilerMetrics).GetProperties())
        {
            switch (property.GetValue(metrics))
            {
                case Gauge g when g.LabelNames.Length == 0: g.Set(1); break;
                case Gauge g: g.WithLabels(g.LabelNames.Select(_ => "x").ToArray()).Set(1); break;
                case Counter c when c.LabelNames.Length == 0: c.Inc(); break;
                case Counter c: c.WithLabels(c.LabelNames.Select(_ => "x").ToArray()).Inc(); break;
            }
        }

        return (metrics, metrics.ExportAsync(CancellationToken.None).GetAwaiter().GetResult());
    }

    [Test]
    public void Export_EveryMetric_HasHelpTextAndConventionalName()
    {
        var (_, text) = Exported();
        var types = TypeLine().Matches(text).ToDictionary(m => m.Groups[1].Value, m => m.Groups[2].Value);
        var helps = HelpLine().Matches(text).ToDictionary(m => m.Groups[1].Value, m => m.Groups[2].Value);

        Assert.That(types, Has.Count.EqualTo(typeof(ReconcilerMetrics).GetProperties().Count(p => p.PropertyType == typeof(Gauge) || p.PropertyType == typeof(Counter))));
        foreach (var (name, type) in types)
        {
            Assert.That(name, Does.StartWith("usd1_"), "one prefix for the whole daemon");
            Assert.That(helps.GetValueOrDefault(name), Has.Length.GreaterThan(20), $"{name} needs help text that says what it measures");
            if (type == "counter")
            {
                Assert.That(name, Does.EndWith("_total"), $"{name}: counters end in _total");
            }
            else
            {
                Assert.That(name, Does.Not.EndWith("_total"), $"{name}: a gauge must not end in _total (promtool check metrics rejects it)");
            }
        }
    }

    [Test]
    public void Export_TimesAndAmounts_CarryTheirUnitInTheName()
    {
        var (_, text) = Exported();
        foreach (var name in TypeLine().Matches(text).Select(m => m.Groups[1].Value))
        {
            var words = name.Split('_');
            if (words.Intersect(["timestamp", "age", "lag"]).Any())
            {
                Assert.That(name, Does.EndWith("_seconds"), $"{name}: times are in seconds and say so");
            }
        }
    }

    [GeneratedRegex(@"^# TYPE (\S+) (\S+)$", RegexOptions.Multiline)]
    private static partial Regex TypeLine();

    [GeneratedRegex(@"^# HELP (\S+) (.*)$", RegexOptions.Multiline)]
    private static partial Regex HelpLine();
}
