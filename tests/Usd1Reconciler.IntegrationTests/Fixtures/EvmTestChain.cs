using System.Globalization;
using System.Numerics;
using System.Text.Json;
using Usd1Reconciler.Evm.Rpc;

namespace Usd1Reconciler.IntegrationTests.Fixtures;

/// <summary>
/// Drives a token on an anvil the way its users would: deploys the committed artifact and sends one transaction at a
/// time from anvil's unlocked accounts (concurrent sends can stick in anvil's pool), waiting for each receipt.
/// </summary>
internal sealed class EvmTestChain(AnvilNode node)
{
    public const string Deployer = "0xf39fd6e51aad88f6f4ce6ab8827279cfffb92266";
    public const string Alice = "0x70997970c51812dc3a010c7d01b50e0d17dc79c8";
    public const string Bob = "0x3c44cdddb6a900fa2b585dd299e03d12fa4293bc";

    public AnvilNode Node { get; } = node;

    public async Task<string> DeployAsync(string artifactName, string constructorArgs = "")
    {
        var artifact = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(RepoPaths.Contracts, "artifacts", artifactName + ".json")));
        var bytecode = artifact.RootElement.GetProperty("bytecode").GetString()!;
        var receipt = await SendAsync(Deployer, to: null, bytecode + constructorArgs);
        return receipt.GetProperty("contractAddress").GetString()!.ToLowerInvariant();
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

    public async Task<JsonElement> SendAsync(string from, string? to, string data)
    {
        var tx = new Dictionary<string, object> { ["from"] = from, ["data"] = data, ["gas"] = "0x1c9c380" };
        if (to is not null)
        {
            tx["to"] = to;
        }

        var hash = (await Node.CallAsync("eth_sendTransaction", tx)).GetString()!;
        for (var i = 0; i < 200; i++)
        {
            var receipt = await Node.CallAsync("eth_getTransactionReceipt", hash);
            if (receipt.ValueKind == JsonValueKind.Object)
            {
                if (receipt.GetProperty("status").GetString() != "0x1")
                {
                    throw new InvalidOperationException($"transaction {hash} reverted");
                }

                return receipt;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(10), TimeProvider.System);
        }

        throw new TimeoutException($"transaction {hash} was not mined");
    }

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
                ["from"] = Deployer, ["to"] = r.To, ["data"] = r.Data, ["gas"] = "0x1c9c380", ["nonce"] = EvmHex.Quantity(nonce++),
            },
            r.Offset,
        }).ToArray();
        await Node.CallAsync("anvil_reorg", depth, txs);
    }

    private static string TxHash(JsonElement receipt) => receipt.GetProperty("transactionHash").GetString()!.ToLowerInvariant();
}
