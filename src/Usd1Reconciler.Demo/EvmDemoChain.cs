using System.Globalization;
using System.Numerics;
using System.Text.Json;
using Usd1Reconciler.Devnet;

namespace Usd1Reconciler.Demo;

/// <summary>
/// One local anvil with the USD1 token, driven the way its issuer and users would drive it.
/// <para>
/// Devnet-only: this class sends transactions (eth_sendTransaction from anvil's unlocked dev accounts, so no key is
/// held even here; the sending itself is Usd1Reconciler.Devnet's <see cref="AnvilSender"/>). The daemon — the usd1rec
/// assembly — never sends a transaction and holds no key; the demo merely plays the world the daemon watches.
/// </para>
/// Transactions go one at a time, each waiting for its receipt: concurrent sends can stick in anvil's pool.
/// </summary>
internal sealed class EvmDemoChain
{
    /// <summary>anvil dev account #0: deploys the token and holds every role (the issuer).</summary>
    public const string Issuer = AnvilDevAccounts.Account0;

    /// <summary>anvil dev account #1: a customer who receives mints and redeems.</summary>
    public const string Alice = AnvilDevAccounts.Account1;

    /// <summary>anvil dev account #2: a stranger who, in the oversized-mint incident, is granted the minter role.</summary>
    public const string Mallory = AnvilDevAccounts.Account2;

    /// <summary>anvil dev account #3: another holder; transfers to it change no supply.</summary>
    public const string Carol = AnvilDevAccounts.Account3;

    private readonly DevnetRpc _rpc;
    private readonly AnvilSender _sender;
    private readonly Dictionary<string, string> _selectors;
    private readonly string _artifactPath;

    private EvmDemoChain(string name, long chainId, AnvilProcess anvil, JsonElement artifact, string artifactPath)
    {
        Name = name;
        ChainId = chainId;
        Process = anvil.Process;
        _rpc = anvil.Rpc;
        _sender = new AnvilSender(anvil.Rpc);
        _artifactPath = artifactPath;
        _selectors = artifact.GetProperty("methodIdentifiers").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString()!, StringComparer.Ordinal);
    }

    public string Name { get; }

    public long ChainId { get; }

    public DevnetProcess Process { get; }

    public Uri Url => _rpc.Url;

    public string Token { get; private set; } = string.Empty;

    /// <summary>Held by whoever sends on this chain, so the flow, an incident and a reorg never interleave their nonces.</summary>
    public SemaphoreSlim Gate { get; } = new(1, 1);

    /// <summary>Starts an anvil for this chain (its process joins <paramref name="group"/>, stopped with the rest of the demo).</summary>
    public static async Task<EvmDemoChain> StartAsync(
        DevnetToolchain tools, DevnetProcessGroup group, string name, long chainId, string cacheDirectory, CancellationToken cancellationToken)
    {
        var anvil = await AnvilProcess.StartAsync(
            tools, new AnvilOptions { Name = $"anvil ({name})", ChainId = chainId, CachePath = cacheDirectory }, cancellationToken);
        group.Add(anvil.Process);
        using var artifact = JsonDocument.Parse(await File.ReadAllTextAsync(tools.TokenArtifact, cancellationToken));
        return new EvmDemoChain(name, chainId, anvil, artifact.RootElement, tools.TokenArtifact);
    }

    /// <summary>Deploys the token with the issuer holding every role; returns its deployment block.</summary>
    public async Task<long> DeployAsync(CancellationToken cancellationToken)
    {
        var token = await _sender.DeployAsync(_artifactPath, Word(Issuer), Issuer, cancellationToken);
        Token = token.Address;
        return token.Block;
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
            ["gas"] = AnvilSender.Gas, ["nonce"] = Hex(nonce),
        };
        await _rpc.CallAsync("anvil_reorg", [depth, new object[] { new object[] { replacement, 0 } }], cancellationToken);
    }

    public async Task<long> HeadAsync(CancellationToken cancellationToken) =>
        Quantity(await _rpc.CallAsync("eth_blockNumber", [], cancellationToken));

    private async Task<string> TxAsync(string from, string data, CancellationToken cancellationToken) =>
        (await _sender.SendAsync(from, Token, data, cancellationToken)).GetProperty("transactionHash").GetString()!.ToLowerInvariant();

    private async Task<string> EthCallAsync(string data, CancellationToken cancellationToken) =>
        (await _rpc.CallAsync("eth_call", [new Dictionary<string, string> { ["to"] = Token, ["data"] = data }, "latest"], cancellationToken)).GetString()!;

    private string Call(string signature, params string[] words) => "0x" + _selectors[signature] + string.Concat(words);

    private static string Word(string address) => address[2..].ToLowerInvariant().PadLeft(64, '0');

    private static string Word(BigInteger value) => value.ToString("x", CultureInfo.InvariantCulture).TrimStart('0').PadLeft(64, '0');

    private static BigInteger ParseWord(string hex) => BigInteger.Parse("0" + hex[2..], NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture);

    private static string Hex(long value) => "0x" + value.ToString("x", CultureInfo.InvariantCulture);

    private static long Quantity(JsonElement hex) => long.Parse(hex.GetString()![2..], NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture);
}
