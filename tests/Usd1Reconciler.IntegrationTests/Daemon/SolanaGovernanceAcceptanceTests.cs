using System.Diagnostics;
using System.Text.Json;
using Usd1Reconciler.Cli;
using Usd1Reconciler.Core.Governance;
using Usd1Reconciler.IntegrationTests.Fixtures;

namespace Usd1Reconciler.IntegrationTests.Daemon;

/// <summary>
/// Issue 15's Solana acceptance: `usd1rec run` on the real Solana devnet with a policy for the mint's authorities and a
/// real Alertmanager delivering to a webhook. The mint authority set to a key the policy does not name pages
/// GovernanceDrift; setting it back resolves the page; `usd1rec governance log` then lists exactly the authority
/// changes the chain holds, and `usd1rec governance --json` shows the proof ok and no drift.
/// </summary>
[TestFixture]
[Category("Integration")]
public sealed class SolanaGovernanceAcceptanceTests
{
    private const int FinalityLag = 4;

    [Test]
    public async Task Run_MintAuthoritySetToUnknownKey_PagesGovernanceDriftResolvesAndLogMatchesTheChain()
    {
        await using var devnet = await SolanaDevnetFixture.StartAsync(finalityLag: FinalityLag);
        using var spl = await SolanaDriver.SetupAsync(devnet, freezeAuthority: true);
        await spl.MintAsync(1_000_000);
        await devnet.AdvanceSlotsAsync(FinalityLag + 1);
        var mintAuthority = spl.MintAuthority;
        var freezeAuthority = spl.Authorities["freezeAccount"];
        await using var webhook = WebhookReceiver.Start();
        await using var alertmanager = await AlertmanagerServer.StartAsync(webhook.Url);
        var network = $$"""
            { "Name": "solana", "Kind": "Solana", "RpcUrls": ["{{devnet.Url}}"], "Mint": "{{spl.Mint}}", "PollInterval": "00:00:00.250",
              "Anomalies": { "ExplorerTxUrl": "https://explorer.solana.com/tx/{tx}?cluster=custom" },
              "Governance": { "Authorities": { "mintTokens": "{{mintAuthority}}", "freezeAccount": "{{freezeAuthority}}" } } }
            """;
        var alerting = $$"""
            , "Alerting": { "AlertmanagerUrls": ["{{alertmanager.Url}}"], "Interval": "00:00:00.250", "ResolveAfter": "00:00:04", "Cooldown": "00:00:00" }
            """;
        await using var daemon = await DaemonUnderTest.StartAsync(network, 1_000_000m, alerting);
        await WaitForProofAsync(daemon, p => p.Status == GovernanceProofStatus.Ok, "the setup's authorities proven against the mint account");
        Assert.That(webhook.Alerts.Where(a => a.Labels.GetValueOrDefault("alertname") == "GovernanceDrift"), Is.Empty, "authorities within policy page nothing");

        var clock = Stopwatch.StartNew();
        var (takeover, unknownKey) = await spl.SetAuthorityToNewKeyAsync("mintTokens");
        var confirmed = clock.Elapsed; // the driver (a node process) returns once the transaction is confirmed
        var (_, page) = await webhook.WaitForAlertAsync("GovernanceDrift", TimeSpan.FromSeconds(30), where: a => a.Labels.GetValueOrDefault("tx") == takeover);
        TestContext.Out.WriteLine(
            $"driver started -> setAuthority confirmed: {confirmed.TotalMilliseconds:0} ms; confirmed -> webhook (GovernanceDrift): {(clock.Elapsed - confirmed).TotalMilliseconds:0} ms");
        Assert.Multiple(() =>
        {
            Assert.That(page.Labels["network"], Is.EqualTo("solana"));
            Assert.That(page.Labels["severity"], Is.EqualTo("page"));
            Assert.That(page.Annotations["summary"], Does.Contain("mintTokens").And.Contain(unknownKey), "the page says which authority is now whose");
            Assert.That(page.Annotations["description"], Does.Contain($"{mintAuthority} → {unknownKey}").And.Contain(takeover), "old → new and the transaction");
        });

        // The key the driver now holds signs the authority back to the one the policy names: the drift is gone.
        var restore = await spl.SetAuthorityAsync("mintTokens", mintAuthority);
        await webhook.WaitForAlertAsync("GovernanceDrift", TimeSpan.FromSeconds(30), status: "resolved", where: a => a.Labels.GetValueOrDefault("tx") == takeover);
        await devnet.AdvanceSlotsAsync(FinalityLag + 1);
        var restoreSlot = await SlotOfAsync(devnet, restore);
        await WaitForProofAsync(daemon, p => p.Status == GovernanceProofStatus.Ok && p.BlockNumber >= restoreSlot, "the proof at a final slot past the restore");

        var (exit, output, error) = await RunAsync("governance", "log", "--config", daemon.ConfigPath, "--format", "json");
        Assert.That(exit, Is.Zero, error);
        using var log = JsonDocument.Parse(output);
        var rows = log.RootElement.GetProperty("changes").EnumerateArray().Where(r => r.GetProperty("network").GetString() == "solana").ToList();
        Assert.That(rows.Select(r => (r.GetProperty("subject").GetString(), r.GetProperty("old").GetString(), r.GetProperty("new").GetString())), Is.EqualTo(new[]
        {
            ("freezeAccount", (string?)null, (string?)freezeAuthority),
            ("mintTokens", null, mintAuthority),
            ("mintTokens", mintAuthority, unknownKey),
            ("mintTokens", unknownKey, mintAuthority),
        }), "setup's initializeMint2 (freeze then mint authority: one instruction, two facts), the takeover and the restore, old values filled in");
        Assert.Multiple(() =>
        {
            Assert.That(rows.Skip(2).Select(r => r.GetProperty("tx").GetString()), Is.EqualTo(new[] { takeover, restore }));
            Assert.That(rows.All(r => r.GetProperty("final").GetBoolean()), Is.True, "everything is finalized now");
            Assert.That(rows[2].GetProperty("explorer").GetString(), Is.EqualTo($"https://explorer.solana.com/tx/{takeover}?cluster=custom"));
            Assert.That(rows[2].GetProperty("actor").GetString(), Is.EqualTo(mintAuthority), "the old mint authority signed the takeover");
        });

        // The log against the chain: every row's transaction is on chain at the logged slot and sets what the row says.
        foreach (var row in rows)
        {
            var tx = await devnet.Rpc.CallAsync("getTransaction",
                new object[] { row.GetProperty("tx").GetString()!, new Dictionary<string, object> { ["encoding"] = "jsonParsed", ["commitment"] = "finalized", ["maxSupportedTransactionVersion"] = 0 } },
                CancellationToken.None);
            Assert.That(tx.GetProperty("slot").GetInt64(), Is.EqualTo(row.GetProperty("block").GetInt64()), "the logged slot is the transaction's");
            var info = tx.GetProperty("transaction").GetProperty("message").GetProperty("instructions")[row.GetProperty("logIndex").GetInt32()].GetProperty("parsed").GetProperty("info");
            var onChain = info.TryGetProperty("newAuthority", out var n) ? n.GetString() : info.GetProperty(row.GetProperty("subject").GetString() == "mintTokens" ? "mintAuthority" : "freezeAuthority").GetString();
            Assert.That(onChain, Is.EqualTo(row.GetProperty("new").GetString()), $"the instruction in {row.GetProperty("tx").GetString()} sets what the log says");
        }

        var (stateExit, stateOut, stateErr) = await RunAsync("governance", "--config", daemon.ConfigPath, "--json");
        Assert.That(stateExit, Is.Zero, stateErr);
        using var state = JsonDocument.Parse(stateOut);
        var solana = state.RootElement.GetProperty("networks").EnumerateArray().Single(n => n.GetProperty("name").GetString() == "solana");
        Assert.Multiple(() =>
        {
            Assert.That(solana.GetProperty("governanceProof").GetString(), Is.EqualTo("ok"));
            Assert.That(solana.GetProperty("drift").GetArrayLength(), Is.Zero, "the state matches the policy again");
        });

        // The frozen set against the chain: a freeze is read back (getMultipleAccounts jsonParsed) at the proof's slot;
        // a thaw no instruction shows (the devnet's control, like anvil_setStorageAt) is a mismatch naming the account.
        var freeze = await spl.FreezeAsync();
        await devnet.AdvanceSlotsAsync(FinalityLag + 1);
        var freezeSlot = await SlotOfAsync(devnet, freeze);
        await WaitForProofAsync(daemon, p => p.Status == GovernanceProofStatus.Ok && p.BlockNumber >= freezeSlot, "the frozen account proven at a final slot past the freeze");
        await devnet.Rpc.CallAsync("devnet_setTokenAccountState", new object[] { spl.TokenAccount, "initialized" }, CancellationToken.None);
        await devnet.AdvanceSlotsAsync(FinalityLag + 1);
        await WaitForProofAsync(daemon, p => p.Status == GovernanceProofStatus.Mismatch, "the silent thaw caught by the proof");
        var mismatch = (await daemon.Store.GetGovernanceProofAsync("solana", CancellationToken.None))!;
        Assert.That(mismatch.Differences.Select(d => (d.Subject, d.Folded, d.Chain)), Is.EqualTo(new[] { ($"frozen:{spl.TokenAccount}", "true", "false") }),
            "the index saw the freeze and no thaw; the chain says the account is not frozen");
    }

    private static async Task<long> SlotOfAsync(SolanaDevnetFixture devnet, string signature) =>
        (await devnet.Rpc.CallAsync("getSignatureStatuses", new object[] { new[] { signature }, new Dictionary<string, bool> { ["searchTransactionHistory"] = true } }, CancellationToken.None))
            .GetProperty("value")[0].GetProperty("slot").GetInt64();

    private static async Task WaitForProofAsync(DaemonUnderTest daemon, Func<GovernanceProofReading, bool> condition, string what)
    {
        var clock = Stopwatch.StartNew();
        while (await daemon.Store.GetGovernanceProofAsync("solana", CancellationToken.None) is not { } proof || !condition(proof))
        {
            if (clock.Elapsed > TimeSpan.FromSeconds(60))
            {
                Assert.Fail($"timed out waiting for {what}");
            }

            await Task.Delay(TimeSpan.FromMilliseconds(200), TimeProvider.System);
        }
    }

    private static async Task<(int Exit, string Out, string Err)> RunAsync(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exit = await CommandLineApp.Build(new CliConsole(output, error), TimeProvider.System).Parse(args).InvokeAsync();
        return (exit, output.ToString(), error.ToString());
    }
}
