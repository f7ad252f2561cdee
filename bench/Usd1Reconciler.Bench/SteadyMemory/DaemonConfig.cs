using System.Text.Json;

namespace Usd1Reconciler.Bench.SteadyMemory;

/// <summary>The `usd1rec run` configuration of the steady-memory run: three networks, a file feed, reconciliation every 10 s.</summary>
internal static class DaemonConfig
{
    /// <summary>Largest single mint the anomaly rules allow: the traffic stays below it, so the steady state pages nothing.</summary>
    private const string MaxMint = "2000000000000";

    public static string Json(IReadOnlyList<EvmNetwork> evm, SolanaNetwork solana, int port)
    {
        var networks = evm.Select(n => (object)new
        {
            n.Name,
            Kind = "Evm",
            n.ChainId,
            RpcUrls = new[] { n.Anvil.Url.ToString() },
            n.Token,
            Anomalies = new { MaxMint, AllowedMinters = new[] { EvmNetwork.Issuer } },
        }).Append(new
        {
            Name = SolanaNetwork.Name,
            Kind = "Solana",
            RpcUrls = new[] { solana.Url.ToString() },
            solana.Mint,
            Commitment = "confirmed",
            Anomalies = new { MaxMint, AllowedMinters = new[] { solana.MintAuthority } },
        });

        // Defaults wherever a production config would leave them: 2 s poll intervals, EVM finality from the node's
        // `finalized` tag, alerting every 2 s (no Alertmanager: anomalies are stored). Reconciliation every 10 s
        // rather than every minute, so a short run holds several.
        return JsonSerializer.Serialize(new
        {
            Storage = new { Path = "store.db" },
            Http = new { Listen = BenchEnvironment.Invariant($"127.0.0.1:{port}") },
            Logging = new { Level = "Warning" },
            Networks = networks.ToArray(),
            Reserves = new { Feeds = new[] { new { Name = "bench-custodian", Kind = "File", Path = "reserves.json", PollInterval = "00:00:05", StaleAfter = "01:00:00" } } },
            Reconciliation = new { Schedule = "0/10 * * ? * *" },
        });
    }
}
