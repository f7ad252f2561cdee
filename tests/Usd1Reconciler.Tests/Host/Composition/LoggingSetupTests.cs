using System.Text.RegularExpressions;
using Microsoft.Extensions.Logging;
using Usd1Reconciler.Composition;
using Usd1Reconciler.Configuration;

namespace Usd1Reconciler.Tests.Host.Composition;

public sealed partial class LoggingSetupTests
{
    [Test]
    public void Create_PlainLines_CarryTheUtcDateAndTime()
    {
        using var output = new StringWriter();
        using (var loggers = LoggingSetup.Create(new LoggingOptions(), output))
        {
            loggers.CreateLogger("test").LogInformation("network {Network}: caught up", "eth");
        }

        Assert.That(output.ToString(), Does.Match(DatedLine()), "a log line must say which day it is, in UTC");
        Assert.That(output.ToString(), Does.EndWith("INF network eth: caught up" + Environment.NewLine));
    }

    [Test]
    public void Create_Json_OneCompactJsonObjectPerLine()
    {
        using var output = new StringWriter();
        using (var loggers = LoggingSetup.Create(new LoggingOptions { Json = true }, output))
        {
            loggers.CreateLogger("test").LogWarning("feed {Feed} is stale", "bank-a");
        }

        using var json = System.Text.Json.JsonDocument.Parse(output.ToString());
        Assert.That(json.RootElement.GetProperty("@t").GetString(), Does.Match(@"^\d{4}-\d{2}-\d{2}T"));
        Assert.That(json.RootElement.GetProperty("Feed").GetString(), Is.EqualTo("bank-a"));
    }

    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}Z INF ")]
    private static partial Regex DatedLine();
}
