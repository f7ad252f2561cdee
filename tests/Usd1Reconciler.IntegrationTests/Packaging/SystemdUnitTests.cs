using System.Globalization;
using System.Text.RegularExpressions;
using Usd1Reconciler.Cli;
using Usd1Reconciler.IntegrationTests.Fixtures;

namespace Usd1Reconciler.IntegrationTests.Packaging;

/// <summary>
/// docker/usd1rec.service is checked as systemd itself reads it. `verify` needs the ExecStart binary to exist, so a
/// copy of the unit points at a stub; everything else is the committed file.
/// </summary>
[TestFixture]
[Category("Integration")]
[Category("Packaging")]
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed partial class SystemdUnitTests
{
    /// <summary>systemd-analyze prints 0.0–2.0 as "OK"; the unit must stay there.</summary>
    private const double MaximumExposure = 2.0;

    private const string InstalledBinary = "/opt/usd1rec/usd1rec";

    private static string UnitPath => Path.Combine(RepoPaths.Root, "docker", "usd1rec.service");

    private static string CopyWithStubBinary(TempDirectory dir)
    {
        var stub = dir.File("usd1rec");
        File.WriteAllText(stub, "#!/bin/sh\nexit 0\n");
        File.SetUnixFileMode(stub, UnixFileMode.UserRead | UnixFileMode.UserExecute | UnixFileMode.UserWrite);
        var copy = dir.File("usd1rec.service");
        File.WriteAllText(copy, File.ReadAllText(UnitPath).Replace(InstalledBinary, stub, StringComparison.Ordinal));
        return copy;
    }

    [Test]
    public async Task Verify_UnitWithStubBinary_NoErrorsOrWarnings()
    {
        using var dir = new TempDirectory("unit");

        var result = await ExternalTool.RunAsync("systemd-analyze", "verify", CopyWithStubBinary(dir));

        Assert.That(result.ExitCode, Is.Zero, result.ToString());
        Assert.That(result.Output + result.Error, Is.Empty, "systemd-analyze verify reports unknown or misspelt settings as warnings: " + result);
    }

    [Test]
    public async Task SecurityOffline_CommittedUnit_ExposureRatedOk()
    {
        using var dir = new TempDirectory("unit");

        var result = await ExternalTool.RunAsync("systemd-analyze", "security", "--offline=yes", "--no-pager", CopyWithStubBinary(dir));

        Assert.That(result.ExitCode, Is.Zero, result.ToString());
        var match = ExposureLine().Match(result.Output);
        Assert.That(match.Success, Is.True, "no overall exposure line in:\n" + result.Output);
        var score = double.Parse(match.Groups["score"].Value, CultureInfo.InvariantCulture);
        TestContext.Out.WriteLine($"systemd-analyze security: {score} {match.Groups["rating"].Value}");
        Assert.That(score, Is.LessThanOrEqualTo(MaximumExposure), "the hardened unit must stay in systemd's OK band:\n" + result.Output);
        Assert.That(match.Groups["rating"].Value, Is.EqualTo("OK"));
    }

    [Test]
    public void Unit_Settings_HardenedNotifyAndWithoutMemoryDenyWriteExecute()
    {
        var settings = File.ReadAllLines(UnitPath)
            .Select(l => l.Trim())
            .Where(l => l.Length > 0 && !l.StartsWith('#') && l.Contains('=', StringComparison.Ordinal))
            .ToLookup(l => l[..l.IndexOf('=', StringComparison.Ordinal)], l => l[(l.IndexOf('=', StringComparison.Ordinal) + 1)..]);

        Assert.Multiple(() =>
        {
            Assert.That(settings["Type"], Is.EqualTo(new[] { "notify" }), "the host reports readiness and pings the watchdog via sd_notify");
            Assert.That(settings["WatchdogSec"], Is.Not.Empty);
            Assert.That(settings["DynamicUser"], Is.EqualTo(new[] { "yes" }));
            Assert.That(settings["StateDirectory"], Is.EqualTo(new[] { "usd1rec" }));
            Assert.That(settings["ConfigurationDirectory"], Is.EqualTo(new[] { "usd1rec" }));
            Assert.That(settings["ProtectSystem"], Is.EqualTo(new[] { "strict" }));
            Assert.That(settings["NoNewPrivileges"], Is.EqualTo(new[] { "yes" }));
            Assert.That(settings["CapabilityBoundingSet"], Is.EqualTo(new[] { string.Empty }));
            Assert.That(settings["RestrictAddressFamilies"], Is.EqualTo(new[] { "AF_INET AF_INET6 AF_UNIX" }));
            Assert.That(settings["Restart"], Is.EqualTo(new[] { "on-failure" }));
            Assert.That(settings["LoadCredential"], Is.Not.Empty);
            Assert.That(settings["Environment"], Has.Some.StartsWith("USD1REC__Storage__Path=/var/lib/usd1rec/"),
                "the store must live in the StateDirectory; everything else is read-only under ProtectSystem=strict");
            Assert.That(settings["MemoryDenyWriteExecute"], Is.Empty, "the .NET JIT needs executable pages it wrote; the runtime aborts under it");
        });
    }

    [Test]
    public async Task InstallRecipe_InstalledConfig_PassesTheCheckExecStartPreGatesOn()
    {
        var settings = File.ReadAllLines(UnitPath).Select(l => l.Trim()).ToList();
        Assert.That(settings, Has.Member($"ExecStartPre={InstalledBinary} check-config --config /etc/usd1rec/usd1rec.json"),
            "the unit refuses to start a configuration that check-config (for `run`, its default) refuses");
        Assert.That(settings, Has.Member($"ExecStart={InstalledBinary} run --config /etc/usd1rec/usd1rec.json"), "… and runs the same file");

        // Replays the recipe's install lines for /etc/usd1rec (in the unit's header and in the README) into a folder
        // standing in for it: what the recipe installs must pass the check, feed documents included.
        foreach (var recipe in new[] { File.ReadAllText(UnitPath), File.ReadAllText(Path.Combine(RepoPaths.Root, "README.md")) })
        {
            using var etc = new TempDirectory("etc-usd1rec");
            var installs = InstallIntoEtc().Matches(recipe);
            Assert.That(installs, Is.Not.Empty, "the recipe installs a configuration into /etc/usd1rec");
            foreach (Match install in installs)
            {
                var source = Path.Combine(RepoPaths.Root, install.Groups["source"].Value);
                Assert.That(File.Exists(source), Is.True, $"the recipe installs {install.Groups["source"].Value}, which is not in the repository");
                var target = install.Groups["target"].Value;
                File.Copy(source, etc.File(target.Length == 0 ? Path.GetFileName(source) : target));
            }

            var check = await CheckConfig.RunAsync(etc.File("usd1rec.json"));

            Assert.That(check.ExitCode, Is.EqualTo(ExitCodes.Ok), "`systemctl enable` is gated on this check:\n" + check);
            Assert.That(check.Output, Does.Not.Contain("does not exist yet: the feed"), "every feed document the example reads is installed beside it:\n" + check);
        }
    }

    // "install -D -m 0644 config/usd1rec.example.json /etc/usd1rec/usd1rec.json" and "install -m 0644 config/x.json /etc/usd1rec/"
    [GeneratedRegex(@"install (?:-D )?-m 0644 (?<source>config/\S+) /etc/usd1rec/(?<target>\S*)")]
    private static partial Regex InstallIntoEtc();

    // "→ Overall exposure level for usd1rec.service: 1.2 OK 🙂"
    [GeneratedRegex(@"Overall exposure level for \S+: (?<score>\d+(\.\d+)?) (?<rating>[A-Z]+)")]
    private static partial Regex ExposureLine();
}
