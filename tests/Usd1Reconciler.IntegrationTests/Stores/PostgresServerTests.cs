using Npgsql;
using Usd1Reconciler.IntegrationTests.Fixtures;

namespace Usd1Reconciler.IntegrationTests.Stores;

/// <summary>The PostgreSQL fixture every PostgreSQL test stands on: password auth, a crash and a restart keep the data.</summary>
[TestFixture]
public sealed class PostgresServerTests
{
    [Test]
    public async Task StartAsync_PrivateCluster_PasswordRequiredAndDataSurvivesACrash()
    {
        await using var server = await PostgresServer.StartAsync();
        var connectionString = await server.CreateDatabaseAsync("fixture_check");

        await using (var connection = new NpgsqlConnection(connectionString))
        {
            await connection.OpenAsync();
            await using var create = new NpgsqlCommand("CREATE TABLE t (v numeric(78,0)); INSERT INTO t VALUES (115792089237316195423570985008687907853269984665640564039457584007913129639935)", connection);
            await create.ExecuteNonQueryAsync();
        }

        var wrong = new NpgsqlConnectionStringBuilder(connectionString) { Password = "not-the-password" }.ConnectionString;
        await using (var refused = new NpgsqlConnection(wrong))
        {
            var error = Assert.ThrowsAsync<PostgresException>(() => refused.OpenAsync());
            Assert.That(error!.SqlState, Is.EqualTo(PostgresErrorCodes.InvalidPassword));
        }

        await server.KillAsync();
        Assert.That(server.IsRunning, Is.False);
        await server.RestartAsync();

        await using (var connection = new NpgsqlConnection(connectionString))
        {
            await connection.OpenAsync();
            await using var read = new NpgsqlCommand("SELECT v::text FROM t", connection);
            Assert.That(await read.ExecuteScalarAsync(), Is.EqualTo("115792089237316195423570985008687907853269984665640564039457584007913129639935"));
        }
    }
}
