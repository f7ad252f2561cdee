using Usd1Reconciler.Evm.Rpc;

namespace Usd1Reconciler.Tests.Evm;

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

    [TestCase("0x12", "hash")]
    [TestCase("12345678901234567890123456789012345678901234567890123456789012345", "hash")]
    public void ParseData_WrongLengthOrPrefix_Refused(string text, string what) =>
        Assert.Throws<FormatException>(() => EvmHex.ParseData(text, 32, what));

    [Test]
    public void NormalizeAddress_MixedCase_LowerCased() =>
        Assert.That(EvmHex.NormalizeAddress("0xF39Fd6e51aad88F6F4ce6aB8827279cffFb92266"), Is.EqualTo("0xf39fd6e51aad88f6f4ce6ab8827279cfffb92266"));
}
