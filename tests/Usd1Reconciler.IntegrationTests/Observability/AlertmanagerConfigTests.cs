using System.Text.Json;
using Usd1Reconciler.IntegrationTests.Fixtures;

namespace Usd1Reconciler.IntegrationTests.Observability;

/// <summary>The example Alertmanager routing: valid for amtool, routes page vs ticket, and its inhibitions work in a real Alertmanager.</summary>
[TestFixture]
[Category("Integration")]
public sealed class AlertmanagerConfigTests
{
    private const string Amtool = "/usr/bin/amtool";

    [Test]
    public async Task AmtoolCheckConfig_Example_Valid()
    {
        var result = await CommandLineTool.RunAsync(Amtool, "check-config", RepoPaths.AlertmanagerConfig);

        Assert.That(result.ExitCode, Is.Zero, result.Output);
        Assert.That(result.Output, Does.Contain("SUCCESS").And.Contain("2 receivers").And.Contain("5 inhibit rules"), result.Output);
    }

    [TestCase("severity=page", "alertname=Usd1CoverageBelowMinimum", ExpectedResult = "page")]
    [TestCase("severity=page", "alertname=UnknownMinter", ExpectedResult = "page")]
    [TestCase("severity=ticket", "alertname=Usd1FeedStale", ExpectedResult = "ticket")]
    [TestCase("alertname=SomethingWithoutSeverity", "network=base", ExpectedResult = "ticket")]
    public async Task<string> AmtoolRoutesTest_BySeverity_Receiver(string label, string alertname)
    {
        var result = await CommandLineTool.RunAsync(Amtool, "config", "routes", "test", $"--config.file={RepoPaths.AlertmanagerConfig}", label, alertname);

        Assert.That(result.ExitCode, Is.Zero, result.Output);
        return result.StdOut.Trim();
    }

    [Test]
    public async Task InhibitRules_DaemonDownAndPushedAnomalies_HideTheirSymptomsOnly()
    {
        await using var webhook = WebhookReceiver.Start();
        var config = (await File.ReadAllTextAsync(RepoPaths.AlertmanagerConfig))
            .Replace("http://127.0.0.1:9099/usd1rec/page", new Uri(webhook.Url, "page").ToString(), StringComparison.Ordinal)
            .Replace("http://127.0.0.1:9099/usd1rec/ticket", new Uri(webhook.Url, "ticket").ToString(), StringComparison.Ordinal);
        await using var alertmanager = await AlertmanagerServer.StartWithConfigAsync(config);

        await alertmanager.PostAlertsAsync("""
            [
              {"labels": {"alertname": "Usd1DaemonDown", "severity": "page", "job": "usd1rec", "instance": "rec-a:9464"}},
              {"labels": {"alertname": "Usd1NetworkStale", "severity": "ticket", "job": "usd1rec", "instance": "rec-a:9464", "network": "base"}},
              {"labels": {"alertname": "Usd1NetworkStale", "severity": "ticket", "job": "usd1rec", "instance": "rec-b:9464", "network": "base"}},
              {"labels": {"alertname": "UnknownMinter", "severity": "page", "network": "base", "tx": "0xabc"}},
              {"labels": {"alertname": "DeepReorg", "severity": "page", "network": "polygon", "block": "123"}},
              {"labels": {"alertname": "Usd1DeepReorg", "severity": "page", "job": "usd1rec", "instance": "rec-b:9464", "network": "polygon"}},
              {"labels": {"alertname": "Usd1DeepReorg", "severity": "page", "job": "usd1rec", "instance": "rec-b:9464", "network": "base"}}
            ]
            """);

        string Key(JsonElement a) => $"{a.GetProperty("labels").GetProperty("alertname").GetString()} "
            + $"{(a.GetProperty("labels").TryGetProperty("instance", out var i) ? i.GetString() : "-")} "
            + $"{(a.GetProperty("labels").TryGetProperty("network", out var n) ? n.GetString() : "-")}";
        var expected = new Dictionary<string, bool>
        {
            ["Usd1DaemonDown rec-a:9464 -"] = false,
            ["Usd1NetworkStale rec-a:9464 base"] = true, // a symptom of the down instance
            ["Usd1NetworkStale rec-b:9464 base"] = false, // another instance is not down
            ["UnknownMinter - base"] = false, // pushed by the daemon: it happened, whatever the daemon's state now
            ["DeepReorg - polygon"] = false,
            ["Usd1DeepReorg rec-b:9464 polygon"] = true, // the daemon's own DeepReorg page covers it
            ["Usd1DeepReorg rec-b:9464 base"] = false, // the backstop stays when no pushed DeepReorg arrived for base
        };

        // The inhibitor learns about source alerts asynchronously: poll until it has settled.
        Dictionary<string, bool> inhibited = [];
        var elapsed = System.Diagnostics.Stopwatch.StartNew();
        while (elapsed.Elapsed < TimeSpan.FromSeconds(10))
        {
            var alerts = await alertmanager.GetAlertsAsync();
            inhibited = alerts.EnumerateArray().ToDictionary(Key, a => a.GetProperty("status").GetProperty("inhibitedBy").GetArrayLength() > 0);
            if (inhibited.Count == expected.Count && expected.All(e => inhibited.GetValueOrDefault(e.Key) == e.Value))
            {
                break;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(100), TimeProvider.System);
        }

        Assert.That(inhibited, Is.EquivalentTo(expected));

        var page = await webhook.WaitForAlertAsync("UnknownMinter", TimeSpan.FromSeconds(30));
        Assert.That(page.Notification.Path, Is.EqualTo("/page"), "severity=page reaches the page receiver");
    }
}
