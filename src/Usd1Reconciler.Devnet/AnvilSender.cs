using System.Diagnostics;
using System.Globalization;
using System.Text.Json;

namespace Usd1Reconciler.Devnet;

/// <summary>
/// Sends transactions to an anvil from its unlocked dev accounts (eth_sendTransaction: no key is held) and deploys
/// the compiled contracts of contracts/artifacts. Devnet-only by construction: this project is never referenced by the
/// daemon, which never sends a transaction.
/// <para>
/// eth_sendTransaction returns when the transaction is pooled, not mined, so each send polls for its receipt; callers
/// send one at a time, since concurrent sends can stick in anvil's pool.
/// </para>
/// </summary>
public sealed class AnvilSender(DevnetRpc rpc)
{
    /// <summary>Gas for every transaction: explicit, so anvil_reorg replacements and big loops are never left out or cut short.</summary>
    public const string Gas = "0x1c9c380";

    private static readonly TimeSpan ReceiptTimeout = TimeSpan.FromSeconds(30);

    public DevnetRpc Rpc { get; } = rpc;

    /// <summary>The transaction's receipt once mined; a reverted one throws, naming its hash.</summary>
    public async Task<JsonElement> SendAsync(string from, string? to, string data, CancellationToken cancellationToken)
    {
        var tx = new Dictionary<string, string> { ["from"] = from, ["data"] = data, ["gas"] = Gas };
        if (to is not null)
        {
            tx["to"] = to;
        }

        var hash = (await Rpc.CallAsync("eth_sendTransaction", [tx], cancellationToken)).GetString()!;
        var waited = Stopwatch.StartNew();
        while (waited.Elapsed < ReceiptTimeout)
        {
            var receipt = await Rpc.CallAsync("eth_getTransactionReceipt", [hash], cancellationToken);
            if (receipt.ValueKind == JsonValueKind.Object)
            {
                return receipt.GetProperty("status").GetString() == "0x1"
                    ? receipt
                    : throw new InvalidOperationException($"transaction {hash} on {Rpc.Url} reverted");
            }

            await Task.Delay(TimeSpan.FromMilliseconds(10), TimeProvider.System, cancellationToken);
        }

        throw new TimeoutException($"transaction {hash} on {Rpc.Url} was not mined within {ReceiptTimeout}");
    }

    /// <summary>Deploys a compiled contract (an artifact with <c>bytecode</c>) from <paramref name="from"/>; <paramref name="constructorArguments"/> are ABI words in hex.</summary>
    public async Task<DeployedContract> DeployAsync(string artifactPath, string constructorArguments, string from, CancellationToken cancellationToken)
    {
        using var artifact = JsonDocument.Parse(await File.ReadAllTextAsync(artifactPath, cancellationToken));
        var bytecode = artifact.RootElement.GetProperty("bytecode").GetString()
            ?? throw new InvalidOperationException($"{artifactPath} has no bytecode");
        var receipt = await SendAsync(from, to: null, bytecode + constructorArguments, cancellationToken);
        var address = receipt.GetProperty("contractAddress").GetString()!.ToLowerInvariant();
        var block = long.Parse(receipt.GetProperty("blockNumber").GetString()![2..], NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture);
        return new DeployedContract(address, block);
    }
}
