using System.Text.RegularExpressions;
using Usd1Reconciler.Cli;
using Usd1Reconciler.IntegrationTests.Fixtures;

namespace Usd1Reconciler.IntegrationTests.Packaging;

/// <summary>
/// docker/ checked without a Docker engine (none runs here): the compose file as docker-compose parses it, and the
/// Dockerfile's promises (non-root, health check, data volume) as text. Nothing here builds an image.
/// </summary>
[TestFixture]
[Category("Integration")]
[Category("Packaging")]
public sealed partial class ContainerPackagingTests
{
    private static string Docker(string name) => Path.Combine(RepoPaths.Root, "docker", name);

    [Test]
    public async Task ComposeConfig_Quiet_Valid()
    {
        var result = await ExternalTool.RunAsync("docker-compose", "-f", Docker("docker-compose.yml"), "config", "-q");

        Assert.That(result.ExitCode, Is.Zero, result.ToString());
    }

    [Test]
    public async Task ComposeServices_DaemonMonitoringAndLocalChain_AllPresent()
    {
        var result = await ExternalTool.RunAsync("docker-compose", "-f", Docker("docker-compose.yml"), "config", "--services");

        Assert.That(result.ExitCode, Is.Zero, result.ToString());
        Assert.That(result.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries),
            Is.SupersetOf(new[] { "usd1rec", "prometheus", "alertmanager", "grafana", "anvil" }));
    }

    [Test]
    public async Task ComposeConfig_MountsTheMonitoringFilesFromConfigFolder_AndTheyExist()
    {
        var result = await ExternalTool.RunAsync("docker-compose", "-f", Docker("docker-compose.yml"), "config");
        Assert.That(result.ExitCode, Is.Zero, result.ToString());

        // docker-compose resolves relative bind mounts to absolute host paths; each must exist in the repository,
        // or Docker would silently create an empty directory in its place.
        string[] expected =
        [
            "config/prometheus/prometheus.yml",
            "config/prometheus/rules",
            "config/alertmanager/alertmanager.yml",
            "config/grafana/provisioning",
            "config/grafana/dashboards",
            "docker/usd1rec",
            "contracts/artifacts",
        ];
        foreach (var relative in expected)
        {
            var absolute = Path.Combine(RepoPaths.Root, relative);
            Assert.That(result.Output, Does.Contain(absolute + ":"), $"{relative} is not mounted");
            Assert.That(File.Exists(absolute) || Directory.Exists(absolute), Is.True, $"{relative} is mounted but missing");
        }

        Assert.That(result.Output, Does.Contain("read_only: true"));
    }

    [Test]
    public void Dockerfile_RuntimeStage_NonRootHealthcheckAndDataVolume()
    {
        var lines = File.ReadAllLines(Docker("Dockerfile")).Select(l => l.Trim()).ToList();
        var runtime = lines.Skip(lines.FindLastIndex(l => l.StartsWith("FROM ", StringComparison.Ordinal))).ToList();

        Assert.Multiple(() =>
        {
            Assert.That(lines.Count(l => l.StartsWith("FROM ", StringComparison.Ordinal)), Is.GreaterThanOrEqualTo(2), "multi-stage: the SDK never ships");
            Assert.That(runtime, Has.Some.Matches<string>(l => l.StartsWith("USER ", StringComparison.Ordinal) && !l.Contains("root", StringComparison.Ordinal) && !l.StartsWith("USER 0", StringComparison.Ordinal)));
            Assert.That(runtime, Has.Some.Contains("HEALTHCHECK").And.Some.Contains("http://127.0.0.1:9464/healthz"));
            Assert.That(runtime, Has.Some.StartsWith("VOLUME").And.Some.Contains("/var/lib/usd1rec"));
            Assert.That(runtime, Has.Some.Contains("USD1REC__Storage__Path=/var/lib/usd1rec/"));
        });
    }
    [Test]
    public void DockerfileAndPublishScript_Publish_OnlyTheDaemonProject()
    {
        // The image and the release are usd1rec alone: the demo and the devnet library send transactions and must
        // never ship beside the daemon (they are projects of their own since issue 13).
        var published = new[] { Docker("Dockerfile"), Path.Combine(RepoPaths.Root, "tools", "publish.sh") }
            .SelectMany(file => File.ReadAllLines(file)
                .Where(line => line.Contains("dotnet publish", StringComparison.Ordinal))
                .Select(line => (File: Path.GetFileName(file), Project: PublishedProject().Match(line).Value)))
            .ToList();

        Assert.That(published, Has.Count.EqualTo(2), "one dotnet publish in the Dockerfile, one in tools/publish.sh");
        Assert.That(published.Select(p => p.Project), Is.All.EqualTo("src/Usd1Reconciler/Usd1Reconciler.csproj"), string.Join('\n', published));
    }

    [GeneratedRegex(@"src/\S+\.csproj")]
    private static partial Regex PublishedProject();

    [Test]
    public async Task ComposeConfig_DaemonConfigMount_HoldsUsd1recJsonThatPassesCheckConfig()
    {
        var result = await ExternalTool.RunAsync("docker-compose", "-f", Docker("docker-compose.yml"), "config");
        Assert.That(result.ExitCode, Is.Zero, result.ToString());

        // The default service and each instance of the `ha` profile mount their own configuration; every one must pass.
        var mounts = ConfigMount().Matches(result.Output).ToList();
        Assert.That(mounts, Is.Not.Empty, "the usd1rec service must mount its configuration at /etc/usd1rec:\n" + result.Output);
        foreach (var mount in mounts)
        {
            await AssertMountedConfigPassesAsync(mount.Groups["source"].Value, mount.Groups["file"].Value);
        }
    }

    [Test]
    public async Task Dockerfile_DocumentedRunMount_HoldsUsd1recJsonThatPassesCheckConfig()
    {
        var text = File.ReadAllText(Docker("Dockerfile"));
        Assert.That(text, Does.Contain("CMD [\"run\", \"--config\", \"/etc/usd1rec/usd1rec.json\"]"), "the image reads /etc/usd1rec/usd1rec.json");

        // The comment's `docker run … -v "$PWD/<dir>:/etc/usd1rec:ro"`, run from the repository root as it says.
        var mount = DocumentedRunMount().Match(text);
        Assert.That(mount.Success, Is.True, "the Dockerfile documents a docker run line mounting the configuration at /etc/usd1rec");
        await AssertMountedConfigPassesAsync(Path.Combine(RepoPaths.Root, mount.Groups["source"].Value), mount.Groups["file"].Value);
    }

    /// <summary>
    /// A folder mounted at /etc/usd1rec must hold usd1rec.json (a file mounted at /etc/usd1rec/usd1rec.json must
    /// exist): Docker would otherwise create an empty directory, and the container would exit 2 at every start.
    /// </summary>
    private static async Task AssertMountedConfigPassesAsync(string source, string mountedAsFile)
    {
        var config = mountedAsFile.Length == 0 ? Path.Combine(source, "usd1rec.json") : source;
        Assert.That(File.Exists(config), Is.True, $"the configuration mount has no usd1rec.json: {config}");

        var check = await CheckConfig.RunAsync(config);

        Assert.That(check.ExitCode, Is.EqualTo(ExitCodes.Ok), "the mounted configuration must pass check-config (as `run` validates it):\n" + check);
        Assert.That(check.Output, Does.StartWith("configuration ok for run:"));
    }

    // "    - /abs/path/docker/usd1rec:/etc/usd1rec:ro" or "- /abs/file.json:/etc/usd1rec/usd1rec.json:ro"
    [GeneratedRegex(@"^\s*-\s*(?<source>/\S+?):/etc/usd1rec(?<file>/usd1rec\.json)?(:ro)?\s*$", RegexOptions.Multiline)]
    private static partial Regex ConfigMount();

    [GeneratedRegex(@"docker run .*-v ""\$PWD/(?<source>[^:""]+):/etc/usd1rec(?<file>/usd1rec\.json)?:ro""")]
    private static partial Regex DocumentedRunMount();
}
