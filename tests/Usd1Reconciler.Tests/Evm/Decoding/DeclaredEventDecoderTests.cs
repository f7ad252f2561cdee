using System.Text.Json;
using Usd1Reconciler.Evm.Decoding;
using Usd1Reconciler.Evm.Rpc;

namespace Usd1Reconciler.Tests.Evm.Decoding;

public sealed class DeclaredEventDecoderTests
{
    private const string Abi = """
        [
          {"type":"function","name":"setFee","inputs":[{"name":"fee","type":"uint256"}]},
          {"type":"event","name":"FeeChanged","anonymous":false,"inputs":[
            {"name":"setter","type":"address","indexed":true},
            {"name":"fee","type":"uint256","indexed":false},
            {"name":"note","type":"string","indexed":false},
            {"name":"delta","type":"int64","indexed":false}]},
          {"type":"event","name":"Tagged","inputs":[{"name":"tag","type":"bytes32","indexed":false}]},
          {"type":"event","name":"Tagged","inputs":[{"name":"tag","type":"bytes4","indexed":false}]},
          {"type":"event","name":"Batch","inputs":[{"name":"ids","type":"uint256[]","indexed":false}]}
        ]
        """;

    private static string Word(string hex) => hex.PadLeft(64, '0');

    [Test]
    public void TryDecode_HandEncodedLogWithStringAndNegativeInt_AllArguments()
    {
        var decoder = DeclaredEventDecoder.Load(Abi, ["FeeChanged"]);
        var topic0 = EventTopics.Topic("FeeChanged(address,uint256,string,int64)");
        // Head: fee, offset of note (0x60 = 3 words), delta (-2, two's complement); tail: length 5, "hello" padded.
        var data = "0x" + Word("2a") + Word("60") + new string('f', 63) + "e" + Word("5") + "68656c6c6f".PadRight(64, '0');
        var log = new EvmLog("0xtoken", [topic0, "0x" + Word("a11ce")], data, 3, "0xb", "0xtx", 0, false);

        Assert.That(decoder.TryDecode(log, out var subject, out var arguments), Is.True);
        Assert.That(subject, Is.EqualTo("FeeChanged:0x00000000000000000000000000000000000a11ce"), "the entry: the event name and its indexed argument");
        var parsed = JsonDocument.Parse(arguments).RootElement;
        Assert.That(parsed.GetProperty("setter").GetString(), Is.EqualTo("0x00000000000000000000000000000000000a11ce"));
        Assert.That(parsed.GetProperty("fee").GetString(), Is.EqualTo("42"));
        Assert.That(parsed.GetProperty("note").GetString(), Is.EqualTo("hello"));
        Assert.That(parsed.GetProperty("delta").GetString(), Is.EqualTo("-2"));
    }

    [Test]
    public void TryDecode_TailOffsetBeyondData_Refused()
    {
        var decoder = DeclaredEventDecoder.Load(Abi, ["FeeChanged(address, uint256, string, int64)"]);
        var topic0 = EventTopics.Topic("FeeChanged(address,uint256,string,int64)");
        var data = "0x" + Word("2a") + Word("400") + Word("1");
        var log = new EvmLog("0xtoken", [topic0, "0x" + Word("a11ce")], data, 3, "0xb", "0xtx", 5, false);

        Assert.Throws<EvmLogFormatException>(() => decoder.TryDecode(log, out _, out _));
    }

    [Test]
    public void TryDescribe_DeclaredBySignature_NameAndArgumentsWithIndexed()
    {
        var decoder = DeclaredEventDecoder.Load(Abi, ["FeeChanged(address, uint256, string, int64)"]);

        Assert.That(decoder.TryDescribe("FeeChanged(address, uint256, string, int64)", out var name, out var arguments), Is.True);
        Assert.That(name, Is.EqualTo("FeeChanged"));
        Assert.That(arguments, Is.EqualTo(new[] { ("setter", true), ("fee", false), ("note", false), ("delta", false) }));
        Assert.That(decoder.TryDescribe("FeeChanged", out _, out _), Is.False, "only the declaration as given names it");
    }

    [Test]
    public void TryDecode_OtherTopic_False()
    {
        var decoder = DeclaredEventDecoder.Load(Abi, ["FeeChanged"]);

        Assert.That(decoder.TryDecode(new EvmLog("0xtoken", [EventTopics.Transfer], "0x", 1, "0xb", "0xtx", 0, false), out _, out _), Is.False);
    }

    [TestCase("NoSuchEvent", "does not have")]
    [TestCase("Tagged", "overloads")]
    [TestCase("Batch", "uint256[]")]
    [TestCase("Transfer", "does not have")]
    public void Load_BadDeclaration_FormatExceptionNamingTheEvent(string declared, string reason)
    {
        var ex = Assert.Throws<FormatException>(() => DeclaredEventDecoder.Load(Abi, [declared]));

        Assert.That(ex!.Message, Does.StartWith("declares event").And.Contain(reason));
    }

    [Test]
    public void Load_StandardEventDeclared_Refused()
    {
        var abi = """{"abi":[{"type":"event","name":"Paused","inputs":[{"name":"account","type":"address","indexed":false}]}]}""";

        Assert.That(Assert.Throws<FormatException>(() => DeclaredEventDecoder.Load(abi, ["Paused"]))!.Message, Does.Contain("already indexes"));
    }

    [TestCase("{not json")]
    [TestCase("{\"contractName\":\"X\"}")]
    public void Load_NotAnAbi_FormatExceptionAboutTheFile(string json) =>
        Assert.That(Assert.Throws<FormatException>(() => DeclaredEventDecoder.Load(json, ["FeeChanged"]))!.Message, Does.Not.StartWith("declares"));
}
