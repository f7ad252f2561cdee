using System.Text.Json;
using System.Text.Json.Nodes;

namespace Usd1Reconciler.Demo;

/// <summary>
/// The configuration the demo runs the daemon with: the same file format and loader as `usd1rec run`, with short
/// schedules and budgets so that a verdict, a stale feed or an anomaly shows within seconds rather than hours.
/// </summary>
internal static class DemoConfig
{
    public const string FeedName = "demo-custodian";

    /// <summary>Largest single mint the anomaly rules allow on every network: 2,000,000 tokens of 6 decimals.</summary>
    public const string MaxMint = "2000000000000";

    /// <summary>EVM blocks a block must be buried under to be final; a reorg staged by the demo stays shallower.</summary>
    public const int Confirmations = 5;

    public const int ReorgDepth = 3;

    public static async Task<string> WriteAsync(
        string directory, string listen, IReadOnlyList<EvmDemoChain> evm, SolanaDemoChain solana, string? alertmanagerUrl, CancellationToken cancellationToken)
    {
        var networks = new JsonArray();
        foreach (var chain in evm)
        {
            networks.Add(new JsonObject
            {
                ["Name"] = chain.Name,
                ["Kind"] = "Evm",
                ["ChainId"] = chain.ChainId,
                ["RpcUrls"] = new JsonArray(chain.Url.ToString()),
                ["Token"] = chain.Token,
                ["StartBlock"] = 0,
                ["Confirmations"] = Confirmations,
                ["PollInterval"] = "00:00:01",
                ["StaleAfter"] = "00:01:00",
                ["Anomalies"] = Anomalies(EvmDemoChain.Issuer),
            });
        }

        networks.Add(new JsonObject
        {
            ["Name"] = solana.Name,
            ["Kind"] = "Solana",
            ["RpcUrls"] = new JsonArray(solana.Url.ToString()),
            ["Mint"] = solana.Mint,
            ["Commitment"] = "confirmed",
            ["PollInterval"] = "00:00:01",
            ["StaleAfter"] = "00:01:00",
            ["Anomalies"] = Anomalies(solana.MintAuthority),
        });

        var config = new JsonObject
        {
            ["Storage"] = new JsonObject { ["Path"] = "usd1rec.db" },
            ["Http"] = new JsonObject { ["Listen"] = listen },
            // Warnings only: the terminal belongs to the live summary.
            ["Logging"] = new JsonObject { ["Level"] = "Warning" },
            ["Networks"] = networks,
            ["Reserves"] = new JsonObject
            {
                ["Feeds"] = new JsonArray(new JsonObject
                {
                    ["Name"] = FeedName,
                    ["Kind"] = "File",
                    ["Path"] = "reserves.json",
                    ["PollInterval"] = "00:00:02",
                    // Rewritten every 3 s: a feed outage turns the verdict Inconclusive about 20 s after it starts.
                    ["StaleAfter"] = "00:00:20",
                }),
            },
            ["Reconciliation"] = new JsonObject { ["Schedule"] = "0/5 * * ? * *" },
            ["Alerting"] = new JsonObject
            {
                ["AlertmanagerUrls"] = alertmanagerUrl is null ? new JsonArray() : new JsonArray(alertmanagerUrl),
                ["Interval"] = "00:00:01",
                ["Cooldown"] = "00:01:00",
            },
        };
        var path = Path.Combine(directory, "config.json");
        await File.WriteAllTextAsync(path, config.ToJsonString(new JsonSerializerOptions { WriteIndented = true }), cancellationToken);
        return path;
    }

    private static JsonObject Anomalies(string allowedMinter) => new()
    {
        ["MaxMint"] = MaxMint,
        ["AllowedMinters"] = new JsonArray(allowedMinter),
        // The daemon often sees a staged reorg one block shallower than staged (its tip trails the head by a block).
        ["DeepReorgDepth"] = ReorgDepth - 1,
    };
}
