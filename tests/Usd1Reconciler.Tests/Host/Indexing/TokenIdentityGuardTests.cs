using System.Text;
using Usd1Reconciler.Indexing;

namespace Usd1Reconciler.Tests.Host.Indexing;

public sealed class TokenIdentityGuardTests
{
    private static byte[] Hex(string hex) => Convert.FromHexString(hex);

    [Test]
    public void DecodeSymbol_AbiString_Text()
    {
        // offset 0x20, length 4, "USD1" padded to a word.
        var reply = Hex("0000000000000000000000000000000000000000000000000000000000000020"
                      + "0000000000000000000000000000000000000000000000000000000000000004"
                      + "5553443100000000000000000000000000000000000000000000000000000000");

        Assert.That(TokenIdentityGuard.DecodeSymbol(reply), Is.EqualTo("USD1"));
    }

    [Test]
    public void DecodeSymbol_Bytes32OfOlderTokens_TextWithoutPadding()
    {
        var reply = new byte[32];
        Encoding.ASCII.GetBytes("MKR").CopyTo(reply, 0);

        Assert.That(TokenIdentityGuard.DecodeSymbol(reply), Is.EqualTo("MKR"));
    }

    [Test]
    public void DecodeSymbol_EmptyOrTruncated_Null()
    {
        Assert.Multiple(() =>
        {
            Assert.That(TokenIdentityGuard.DecodeSymbol([]), Is.Null);
            Assert.That(TokenIdentityGuard.DecodeSymbol(new byte[32]), Is.Null, "an all-zero word names nothing");
            Assert.That(TokenIdentityGuard.DecodeSymbol(Hex("0000000000000000000000000000000000000000000000000000000000000020"
                                                          + "0000000000000000000000000000000000000000000000000000000000000040")), Is.Null, "length beyond the reply");
        });
    }
}
