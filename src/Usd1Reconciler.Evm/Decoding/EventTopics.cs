using System.Text;
using Org.BouncyCastle.Crypto.Digests;

namespace Usd1Reconciler.Evm.Decoding;

/// <summary>
/// topic0 of the events that change supply, computed from their signatures (keccak256) rather than pasted as magic
/// numbers, so the signature each one stands for is plain to read.
/// </summary>
public static class EventTopics
{
    /// <summary>ERC-20 Transfer(address indexed from, address indexed to, uint256 value): a mint comes from the zero address, a burn goes to it.</summary>
    public static readonly string Transfer = Topic("Transfer(address,address,uint256)");

    /// <summary>Mint(address indexed minter, address indexed to, uint256 amount): the USD1 token and the large fiat-backed tokens name the minter this way.</summary>
    public static readonly string Mint = Topic("Mint(address,address,uint256)");

    /// <summary>Burn(address indexed burner, address indexed from, uint256 amount): the USD1 token.</summary>
    public static readonly string BurnFrom = Topic("Burn(address,address,uint256)");

    /// <summary>Burn(address indexed burner, uint256 amount): tokens that burn only the burner's own balance.</summary>
    public static readonly string Burn = Topic("Burn(address,uint256)");

    /// <summary>Every topic0 the indexer asks eth_getLogs for.</summary>
    public static readonly IReadOnlyList<string> All = [Transfer, Mint, BurnFrom, Burn];

    public static string Topic(string signature)
    {
        ArgumentNullException.ThrowIfNull(signature);
        return "0x" + Convert.ToHexStringLower(Keccak256(Encoding.ASCII.GetBytes(signature)));
    }

    public static byte[] Keccak256(byte[] input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var digest = new KeccakDigest(256);
        digest.BlockUpdate(input, 0, input.Length);
        var output = new byte[32];
        digest.DoFinal(output, 0);
        return output;
    }
}
