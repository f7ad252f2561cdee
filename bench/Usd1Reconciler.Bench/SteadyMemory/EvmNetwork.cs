using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Numerics;
using System.Text.Json;

namespace Usd1Reconciler.Bench.SteadyMemory;

/// <summary>An anvil with the USD1 token; transactions from the unlocked issuer, each waiting for its receipt.</summary>
internal sealed class EvmNetwork(string name, long chainId, AnvilProcess anvil, HttpClient http, JsonElement artifact)
{
    /// <summary>anvil dev account #0: deploys the token (holding every role), mints to itself and burns from itself.</summary>
    public const string Issuer = "0xf39fd6e51aad88f6f4ce6ab8827279cfffb92266";

    private static readonly TimeSpan ReceiptTimeout = TimeSpan.FromSeconds(30);

    private readonly string _bytecode = artifact.GetProperty("bytecode").GetString()!;
    private readonly string _mint = artifact.GetProperty("methodIdentifiers").GetProperty("mint(address,uint256)").GetString()!;
    private readonly string _burn = artifact.GetProperty("methodIdentifiers").GetProperty("burn(uint256)").GetString()!;

    public string Name => name;

    public long ChainId => chainId;

    public AnvilProcess Anvil => anvil;

    public string Token { get; private set; } = string.Empty;

    /// <summary>
    /// Deploys the token, then mines 70 empty blocks: anvil's `finalized` tag is head − 64, so the deployment is
    /// final from the start, as a live token's is — otherwise the first minute has no final block holding the token.
    /// </summary>
    public async Task DeployAsync(CancellationToken cancellationToken)
    {
        var receipt = await SendAsync(null, _bytecode + Word(Issuer), cancellationToken);
        Token = receipt.GetProperty("contractAddress").GetString()!.ToLowerInvariant();
        await RpcAsync(http, anvil.Url, "anvil_mine", ["0x46"], cancellationToken);
    }

    public async Task StepAsync(int step, CancellationToken cancellationToken) =>
        await SendAsync(Token, step % 3 == 2 ? "0x" + _burn + Word(TrafficLoop.BurnAmount) : "0x" + _mint + Word(Issuer) + Word(TrafficLoop.MintAmount), cancellationToken);

    private async Task<JsonElement> SendAsync(string? to, string data, CancellationToken cancellationToken)
    {
        var tx = new Dictionary<string, string> { ["from"] = Issuer, ["data"] = data, ["gas"] = "0x1c9c380" };
        if (to is not null)
        {
            tx["to"] = to;
        }

        // eth_sendTransaction returns once the transaction is pooled; the receipt comes with the next block.
        var hash = (await RpcAsync(http, anvil.Url, "eth_sendTransaction", [tx], cancellationToken)).GetString()!;
        var waited = Stopwatch.StartNew();
        while (waited.Elapsed < ReceiptTimeout)
        {
            var receipt = await RpcAsync(http, anvil.Url, "eth_getTransactionReceipt", [hash], cancellationToken);
            if (receipt.ValueKind == JsonValueKind.Object)
            {
                return receipt.GetProperty("status").GetString() == "0x1" ? receipt : throw new InvalidOperationException($"{name}: transaction {hash} reverted");
            }

            await Task.Delay(TimeSpan.FromMilliseconds(100), TimeProvider.System, cancellationToken);
        }

        throw new TimeoutException($"{name}: transaction {hash} was not mined within {ReceiptTimeout}");
    }

    private static string Word(string address) => address[2..].PadLeft(64, '0');

    private static string Word(BigInteger value) => value.ToString("x", CultureInfo.InvariantCulture).TrimStart('0').PadLeft(64, '0');

    private static async Task<JsonElement> RpcAsync(HttpClient http, Uri url, string method, object[] parameters, CancellationToken cancellationToken)
    {
        using var response = await http.PostAsJsonAsync(url, new { jsonrpc = "2.0", id = 1, method, @params = parameters }, cancellationToken);
        response.EnsureSuccessStatusCode();
        using var reply = await JsonDocument.ParseAsync(await response.Content.ReadAsStreamAsync(cancellationToken), cancellationToken: cancellationToken);
        return reply.RootElement.TryGetProperty("error", out var error) && error.ValueKind != JsonValueKind.Null
            ? throw new InvalidOperationException($"{method}: {error.GetRawText()}")
            : reply.RootElement.GetProperty("result").Clone();
    }
}
