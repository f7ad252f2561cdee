using Usd1Reconciler.Evm.Rpc;

namespace Usd1Reconciler.Tests.Evm.Rpc;

public sealed class EvmHexTests
{
    [TestCase("0x0", 0L)]
    [TestCase("0x1b4", 436L)]
    [TestCase("0x7fffffffffffffff", long.MaxValue)]
    public void ParseQuantity_Valid_Parsed(string text, long expected) =>
        Assert.That(EvmHex.ParseQuantity(text, "n"), Is.EqualTo(expected));

    [TestCase(null, "missing")]
    [TestCase("1b4", "not a 0x-prefixed")]
    [TestCase("0x", "not a 0x-prefixed")]
    [TestCase("0x-1", "does not fit")]
    [TestCase("0x10000000000000000", "does not fit")]
    [TestCase("0xffffffffffffffff", "does not fit")]
    [TestCase("0xzz", "does not fit")]
    public void ParseQuantity_Malformed_SpecificError(string? text, string reason)
    {
        var ex = Assert.Throws<FormatException>(() => EvmHex.ParseQuantity(text, "block number"));
        Assert.That(ex!.Message, Does.Contain(reason).And.Contain("block number"));
    }

    [TestCase("0x0")]
    [TestCase("0x1b4")]
    [TestCase("0x1B4")]
    [TestCase("0x7fffffffffffffff")]
    [TestCase("0x8000000000000000")]
    [TestCase("0x00000000000000001")]
    [TestCase("0x10000000000000000")]
    [TestCase("0x")]
    [TestCase("0x-1")]
    [TestCase("0xzz")]
    [TestCase("0X1")]
    [TestCase("1b4")]
    [TestCase("")]
    [TestCase("0x1é")]
    public void ParseQuantity_Utf8Text_SameValueOrSameMessageAsTheString(string text) =>
        AssertSameOutcome(() => EvmHex.ParseQuantity(text, "n"), () => EvmHex.ParseQuantity(System.Text.Encoding.UTF8.GetBytes(text), "n"));

    [TestCase("0x00000000000000000000000000000000000000000000000000000000000000ff")]
    [TestCase("0x00000000000000000000000000000000000000000000000000000000000000FF")]
    [TestCase("0xFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF")]
    [TestCase("0x000000000000000000000000000000000000000000000000000000000000000g")]
    [TestCase("0x00000000000000000000000000000000000000000000000000000000000000")]
    [TestCase("0X00000000000000000000000000000000000000000000000000000000000000ff")]
    [TestCase("0x00000000000000000000000000000000000000000000000000000000000000é")]
    [TestCase("")]
    public void ParseData_Utf8Text_SameValueOrSameMessageAsTheString(string text) =>
        AssertSameOutcome(() => EvmHex.ParseData(text, 32, "hash"), () => EvmHex.ParseData(System.Text.Encoding.UTF8.GetBytes(text), 32, "hash"));

    private static void AssertSameOutcome<T>(Func<T> fromString, Func<T> fromUtf8)
    {
        string Outcome(Func<T> parse)
        {
            try
            {
                return "value " + parse();
            }
            catch (FormatException ex)
            {
                return "refused: " + ex.Message;
            }
        }

        Assert.That(Outcome(fromUtf8), Is.EqualTo(Outcome(fromString)));
    }

    [TestCase("0x12", "hash")]
    [TestCase("12345678901234567890123456789012345678901234567890123456789012345", "hash")]
    public void ParseData_WrongLengthOrPrefix_Refused(string text, string what) =>
        Assert.Throws<FormatException>(() => EvmHex.ParseData(text, 32, what));

    [Test]
    public void NormalizeAddress_MixedCase_LowerCased() =>
        Assert.That(EvmHex.NormalizeAddress("0xF39Fd6e51aad88F6F4ce6aB8827279cffFb92266"), Is.EqualTo("0xf39fd6e51aad88f6f4ce6ab8827279cfffb92266"));
}
