using System.Globalization;
using System.Numerics;
using System.Text.Json;

namespace Usd1Reconciler.Demo;

/// <summary>
/// One local anvil with the USD1 token, driven the way its issuer and users would drive it.
/// <para>
/// Devnet-only: this class sends transactions (eth_sendTransaction from anvil's unlocked dev accounts, so no key is
/// held even here). The daemon — everything outside this Demo folder — never sends a transaction and holds no key;
/// the demo merely plays the world the daemon watches.
/// </para>
/// Transactions go one at a time, each waiting for its receipt: concurrent sends can stick in anvil's pool.
/// </summary>
internal sealed class EvmDemoChain
{
    /// <summary>anvil dev account #0: deploys the token and holds every role (the issuer).</summary>
    public const string Issuer = "0xf39fd6e51aad88f6f4ce6ab8827279cfffb92266";

    /// <summary>anvil dev account #1: a customer who receives mints and redeems.</summary>
    public const string Alice = "0x70997970c51812dc3a010c7d01b50e0d17dc79c8";

    /// <summary>anvil dev account #2: a stranger who, in the oversized-mint incident, is granted the minter role.</summary>
    public const string Mallory = "0x3c44cdddb6a900fa2b585dd299e03d12fa4293bc";

    /// <summary>anvil dev account #3: another holder; transfers to it change no supply.</summary>
    public const string Carol = "0x90f79bf6eb2c4f870365e785982e1f101e93b906";

    private static readonly TimeSpan ReceiptTimeout = TimeSpan.FromSeconds(30);

    private readonly DevnetRpc _rpc;
    private readonly Dictionary<string, string> _selectors;
    private readonly string _bytecode;
    private readonly TimeProvider _time;

    private EvmDemoChain(string name, long chainId, DemoProcess process, DevnetRpc rpc, JsonElement artifact, TimeProvider time)
    {
        Name = name;
        ChainId = chainId;
        Process = process;
        _rpc = rpc;
        _time = time;
        _bytecode = artifact.GetProperty("bytecode").GetString()!;
        _selectors = artifact.GetProperty("methodIdentifiers").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString()!, StringComparer.Ordinal);
    }

    public string Name { get; }

    public long ChainId { get; }

    public DemoProcess Process { get; }

    public Uri Url => _rpc.Url;

    public string Token { get; private set; } = string.Empty;

    /// <summary>Held by whoever sends on this chain, so the flow, an incident and a reorg never interleave their nonces.</summary>
    public SemaphoreSlim Gate { get; } = new(1, 1);

    public static async Task<EvmDemoChain> StartAsync(
        DevnetToolchain tools, DemoProcessGroup group, string name, long chainId, int port, string cacheDirectory, HttpClient http, TimeProvider time, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(cacheDirectory);
        var process = group.Add(DemoProcess.Start(
            $"anvil ({name})",
            tools.Anvil,
            [
                "--host", "127.0.0.1", "--port", port.ToString(CultureInfo.InvariantCulture), "--chain-id", chainId.ToString(CultureInfo.InvariantCulture),
                // Without --cache-path anvil writes per-block state under ~/.foundry, seen reaching gigabytes.
                "--cache-path", cacheDirectory, "--silent",
            ],
            tools.Root));
        using var artifact = JsonDocument.Parse(await File.ReadAllTextAsync(tools.TokenArtifact, cancellationToken));
        var chain = new EvmDemoChain(name, chainId, process, new DevnetRpc(http, new Uri($"http://127.0.0.1:{port}")), artifact.RootElement, time);
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                await chain._rpc.CallAsync("eth_chainId", [], cancellationToken);
                return chain;
            }
            catch (HttpRequestException) when (attempt < 200 && !process.HasExited)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(50), time, cancellationToken);
            }
            catch (HttpRequestException ex)
            {
                throw new InvalidOperationException($"anvil ({name}) did not answer on port {port}:\n{process.RecentOutput}", ex);
            }
        }
    }

    /// <summary>Deploys the token with the issuer holding every role; returns its deployment block.</summary>
    public async Task<long> DeployAsync(CancellationToken cancellationToken)
    {
        var receipt = await SendAsync(Issuer, to: null, _bytecode + Word(Issuer), cancellationToken);
        Token = receipt.GetProperty("contractAddress").GetString()!.ToLowerInvariant();
        return Quantity(receipt.GetProperty("blockNumber"));
    }

    /// <summary>From here on a block every <paramref name="seconds"/> instead of one per transaction, like a real chain.</summary>
    public Task StartIntervalMiningAsync(int seconds, CancellationToken cancellationToken) =>
        _rpc.CallAsync("evm_setIntervalMining", [seconds], cancellationToken);

    public Task<string> MintAsync(string to, BigInteger amount, CancellationToken cancellationToken) =>
        TxAsync(Issuer, Call("mint(address,uint256)", Word(to), Word(amount)), cancellationToken);

    /// <summary>A redemption: the holder hands tokens back to the issuer, who burns them.</summary>
    public async Task<string> RedeemAsync(string holder, BigInteger amount, CancellationToken cancellationToken)
    {
        await TransferAsync(holder, Issuer, amount, cancellationToken);
        return await TxAsync(Issuer, Call("burn(uint256)", Word(amount)), cancellationToken);
    }

    public Task<string> TransferAsync(string from, string to, BigInteger amount, CancellationToken cancellationToken) =>
        TxAsync(from, Call("transfer(address,uint256)", Word(to), Word(amount)), cancellationToken);

    public async Task<BigInteger> BalanceOfAsync(string holder, CancellationToken cancellationToken) =>
        ParseWord(await EthCallAsync(Call("balanceOf(address)", Word(holder)), cancellationToken));

    public async Task<BigInteger> TotalSupplyAsync(CancellationToken cancellationToken) =>
        ParseWord(await EthCallAsync(Call("totalSupply()"), cancellationToken));

    /// <summary>The issuer grants a stranger the minter role, and the stranger mints <paramref name="amount"/> to itself.</summary>
    public async Task<string> UnknownMinterMintAsync(BigInteger amount, CancellationToken cancellationToken)
    {
        var role = (await EthCallAsync(Call("MINTER_ROLE()"), cancellationToken))[2..];
        await TxAsync(Issuer, Call("grantRole(bytes32,address)", role, Word(Mallory)), cancellationToken);
        return await TxAsync(Mallory, Call("mint(address,uint256)", Word(Mallory), Word(amount)), cancellationToken);
    }

    /// <summary>
    /// anvil_reorg: the newest <paramref name="depth"/> blocks are replaced; their transactions vanish and one different
    /// mint takes their place. The replacement needs an explicit nonce (the issuer's at the fork point) and gas, without
    /// which anvil silently leaves it out.
    /// </summary>
    public async Task ReorgAsync(int depth, BigInteger replacementMint, CancellationToken cancellationToken)
    {
        var head = Quantity(await _rpc.CallAsync("eth_blockNumber", [], cancellationToken));
        var nonce = Quantity(await _rpc.CallAsync("eth_getTransactionCount", [Issuer, Hex(head - depth)], cancellationToken));
        var replacement = new Dictionary<string, string>
        {
            ["from"] = Issuer, ["to"] = Token, ["data"] = Call("mint(address,uint256)", Word(Carol), Word(replacementMint)),
            ["gas"] = "0x1c9c380", ["nonce"] = Hex(nonce),
        };
        await _rpc.CallAsync("anvil_reorg", [depth, new object[] { new object[] { replacement, 0 } }], cancellationToken);
    }

    public async Task<long> HeadAsync(CancellationToken cancellationToken) =>
        Quantity(await _rpc.CallAsync("eth_blockNumber", [], cancellationToken));

    private async Task<string> TxAsync(string from, string data, CancellationToken cancellationToken) =>
        (await SendAsync(from, Token, data, cancellationToken)).GetProperty("transactionHash").GetString()!.ToLowerInvariant();

    private async Task<JsonElement> SendAsync(string from, string? to, string data, CancellationToken cancellationToken)
    {
        var tx = new Dictionary<string, string> { ["from"] = from, ["data"] = data, ["gas"] = "0x1c9c380" };
        if (to is not null)
        {
            tx["to"] = to;
        }

        var hash = (await _rpc.CallAsync("eth_sendTransaction", [tx], cancellationToken)).GetString()!;
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (waited.Elapsed < ReceiptTimeout)
        {
            var receipt = await _rpc.CallAsync("eth_getTransactionReceipt", [hash], cancellationToken);
            if (receipt.ValueKind == JsonValueKind.Object)
            {
                return receipt.GetProperty("status").GetString() == "0x1"
                    ? receipt
                    : throw new InvalidOperationException($"{Name}: transaction {hash} reverted");
            }

            await Task.Delay(TimeSpan.FromMilliseconds(50), _time, cancellationToken);
        }

        throw new TimeoutException($"{Name}: transaction {hash} was not mined within {ReceiptTimeout}");
    }

    private async Task<string> EthCallAsync(string data, CancellationToken cancellationToken) =>
        (await _rpc.CallAsync("eth_call", [new Dictionary<string, string> { ["to"] = Token, ["data"] = data }, "latest"], cancellationToken)).GetString()!;

    private string Call(string signature, params string[] words) => "0x" + _selectors[signature] + string.Concat(words);

    private static string Word(string address) => address[2..].ToLowerInvariant().PadLeft(64, '0');

    private static string Word(BigInteger value) => value.ToString("x", CultureInfo.InvariantCulture).TrimStart('0').PadLeft(64, '0');

    private static BigInteger ParseWord(string hex) => BigInteger.Parse("0" + hex[2..], NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture);

    private static string Hex(long value) => "0x" + value.ToString("x", CultureInfo.InvariantCulture);

    private static long Quantity(JsonElement hex) => long.Parse(hex.GetString()![2..], NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture);
}
