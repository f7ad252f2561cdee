using System.Globalization;
using System.Numerics;
using System.Text.Json;
using Usd1Reconciler.Devnet;
using Usd1Reconciler.Evm.Rpc;

namespace Usd1Reconciler.IntegrationTests.Fixtures;

/// <summary>
/// Drives a token on an anvil the way its users would: deploys the committed artifact and sends one transaction at a
/// time from anvil's unlocked accounts (concurrent sends can stick in anvil's pool), waiting for each receipt — the
/// sending is Usd1Reconciler.Devnet's <see cref="AnvilSender"/>; this class only names the token calls tests make.
/// </summary>
internal sealed class EvmTestChain(AnvilNode node)
{
    public const string Deployer = AnvilDevAccounts.Account0;
    public const string Alice = AnvilDevAccounts.Account1;
    public const string Bob = AnvilDevAccounts.Account2;

    public AnvilNode Node { get; } = node;

    public async Task<string> DeployAsync(string artifactName, string constructorArgs = "")
    {
        var contract = await Node.Sender.DeployAsync(RepoPaths.Devnet.Artifact(artifactName), constructorArgs, Deployer, CancellationToken.None);
        return contract.Address;
    }

    /// <summary>The project's USD1 token, all roles held by the deployer.</summary>
    public Task<string> DeployUsd1Async() => DeployAsync("Usd1Token", Abi.Word(Deployer));

    public Task<string> DeployPlainAsync() => DeployAsync("PlainToken");

    public async Task<string> MintAsync(string token, string to, BigInteger amount) =>
        TxHash(await SendAsync(Deployer, token, Abi.Call("mint(address,uint256)", to, amount)));

    /// <summary>USD1: the burner burns its own balance.</summary>
    public async Task<string> BurnOwnAsync(string token, BigInteger amount) =>
        TxHash(await SendAsync(Deployer, token, Abi.Call("burn(uint256)", amount)));

    /// <summary>PlainToken: anyone burns anyone's balance.</summary>
    public async Task<string> PlainBurnAsync(string token, string from, BigInteger amount) =>
        TxHash(await SendAsync(Deployer, token, Abi.Call("burn(address,uint256)", from, amount)));

    public async Task<string> TransferAsync(string token, string from, string to, BigInteger amount) =>
        TxHash(await SendAsync(from, token, Abi.Call("transfer(address,uint256)", to, amount)));

    public Task<JsonElement> SendAsync(string from, string? to, string data) => Node.Sender.SendAsync(from, to, data, CancellationToken.None);

    public async Task<long> HeadAsync() => EvmHex.ParseQuantity((await Node.CallAsync("eth_blockNumber")).GetString(), "head");

    public async Task MineAsync(int blocks = 1) => await Node.CallAsync("anvil_mine", EvmHex.Quantity(blocks));

    public async Task<long> NonceAtAsync(string account, long block) =>
        EvmHex.ParseQuantity((await Node.CallAsync("eth_getTransactionCount", account, EvmHex.Quantity(block))).GetString(), "nonce");

    public async Task<BigInteger> TotalSupplyAsync(string token, string blockTag = "latest")
    {
        var result = (await Node.CallAsync("eth_call", new Dictionary<string, string> { ["to"] = token, ["data"] = "0x18160ddd" }, blockTag)).GetString()!;
        return BigInteger.Parse("0" + result[2..], NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture);
    }

    /// <summary>
    /// anvil_reorg: replaces the last <paramref name="depth"/> blocks; each replacement is (tx, block offset from the
    /// fork point). Replacement txs carry explicit nonces (the sender's nonce at the fork point, counting up) and gas,
    /// without which anvil silently leaves them out.
    /// </summary>
    public async Task ReorgAsync(int depth, IReadOnlyList<(string To, string Data, int Offset)> replacements)
    {
        var head = await HeadAsync();
        var nonce = await NonceAtAsync(Deployer, head - depth);
        var txs = replacements.Select(r => new object[]
        {
            new Dictionary<string, object>
            {
                ["from"] = Deployer, ["to"] = r.To, ["data"] = r.Data, ["gas"] = AnvilSender.Gas, ["nonce"] = EvmHex.Quantity(nonce++),
            },
            r.Offset,
        }).ToArray();
        await Node.CallAsync("anvil_reorg", depth, txs);
    }

    private static string TxHash(JsonElement receipt) => receipt.GetProperty("transactionHash").GetString()!.ToLowerInvariant();
}
