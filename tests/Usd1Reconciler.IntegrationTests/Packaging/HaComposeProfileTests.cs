using Npgsql;
using Usd1Reconciler.IntegrationTests.Fixtures;

namespace Usd1Reconciler.IntegrationTests.Packaging;

/// <summary>
/// The compose profile `ha` (issue 14.6) as docker-compose and promtool read it, without a Docker engine: PostgreSQL
/// and two instances on it that differ in their Instance:Id and listen port and read the connection string from a
/// secret, and a Prometheus that scrapes exactly those two ports under the job the rules select.
/// </summary>
[TestFixture]
[Category("Integration")]
[Category("Packaging")]
public sealed class HaComposeProfileTests
{
    private static string Docker(string name) => Path.Combine(RepoPaths.Root, "docker", name);

    [Test]
    public async Task ComposeConfig_ProfileHa_ValidWithPostgresAndTwoDistinctInstances()
    {
        var result = await ExternalTool.RunAsync("docker-compose", "-f", Docker("docker-compose.yml"), "--profile", "ha", "config");
        Assert.That(result.ExitCode, Is.Zero, result.ToString());
        var services = ServiceBlocks(result.Output);

        Assert.Multiple(() =>
        {
            Assert.That(services.Keys, Is.SupersetOf(new[] { "postgres", "usd1rec-a", "usd1rec-b", "prometheus-ha", "usd1rec" }), "the SQLite daemon stays beside the profile");
            foreach (var (name, id, port) in new[] { ("usd1rec-a", "usd1rec-a", "9465"), ("usd1rec-b", "usd1rec-b", "9466") })
            {
                var block = services[name];
                Assert.That(block, Does.Contain("USD1REC__Storage__Provider: Postgres"), name);
                Assert.That(block, Does.Contain("USD1REC__Storage__ConnectionStringFile: /run/secrets/usd1rec-connection-string"), name);
                Assert.That(block, Does.Contain($"USD1REC__Instance__Id: {id}"), $"{name}: each instance needs its own Instance:Id");
                Assert.That(block, Does.Contain($"USD1REC__Http__Listen: 0.0.0.0:{port}"), $"{name}: both share the pod's network namespace, so their ports differ");
                Assert.That(block, Does.Not.Contain("Password="), $"{name}: the password comes from a secret, never from the environment");
            }
        });
    }

    [Test]
    public void HaSecrets_ConnectionString_MatchesThePostgresServiceAndItsPassword()
    {
        var connection = new NpgsqlConnectionStringBuilder(File.ReadAllText(Docker("ha/usd1rec-connection-string")).Trim());
        var password = File.ReadAllText(Docker("ha/postgres-password")).Trim();
        var compose = File.ReadAllText(Docker("docker-compose.yml"));

        Assert.Multiple(() =>
        {
            Assert.That(connection.Host, Is.EqualTo("127.0.0.1"), "postgres listens on the pod's loopback");
            Assert.That(compose, Does.Contain($"\"port={connection.Port}\""), "the port the postgres service is started on");
            Assert.That(connection.Password, Is.EqualTo(password), "the password the postgres service was initialised with");
            Assert.That(compose, Does.Contain($"POSTGRES_DB: {connection.Database}").And.Contain($"POSTGRES_USER: {connection.Username}"));
        });
    }

    [Test]
    public async Task HaPrometheus_ScrapesBothInstancePortsUnderJobUsd1rec()
    {
        var check = await ExternalTool.RunAsync("promtool", "check", "config", "--syntax-only", Docker("ha/prometheus.yml"));
        var config = File.ReadAllText(Docker("ha/prometheus.yml"));

        Assert.Multiple(() =>
        {
            Assert.That(check.ExitCode, Is.Zero, check.ToString());
            Assert.That(config, Does.Contain("job_name: usd1rec"), "the rules select job=\"usd1rec\"");
            Assert.That(config, Does.Contain("127.0.0.1:9465").And.Contain("127.0.0.1:9466"));
            Assert.That(config, Does.Contain("target_label: instance"), "instance is the target label, set from the Instance:Id");
        });
    }

    /// <summary>Each service's block of `docker-compose config` output (two-space indented names under `services:`).</summary>
    private static Dictionary<string, string> ServiceBlocks(string config)
    {
        var blocks = new Dictionary<string, string>(StringComparer.Ordinal);
        var lines = config.Split('\n');
        var inServices = false;
        string? current = null;
        var text = new System.Text.StringBuilder();
        foreach (var line in lines)
        {
            if (!line.StartsWith(' ') && line.Length > 0)
            {
                Flush();
                inServices = line.TrimEnd() == "services:";
                continue;
            }

            if (inServices && line.StartsWith("  ", StringComparison.Ordinal) && !line.StartsWith("   ", StringComparison.Ordinal) && line.TrimEnd().EndsWith(':'))
            {
                Flush();
                current = line.Trim().TrimEnd(':');
                continue;
            }

            text.AppendLine(line);
        }

        Flush();
        return blocks;

        void Flush()
        {
            if (current is not null)
            {
                blocks[current] = text.ToString();
            }

            current = null;
            text.Clear();
        }
    }
}
