using Usd1Reconciler.Core.Supply;
using Usd1Reconciler.Evm.Decoding;
using Usd1Reconciler.Evm.Rpc;

namespace Usd1Reconciler.Tests.Evm.Decoding;

public sealed class Erc20SupplyDecoderTests
{
    private const string Token = "0x1111111111111111111111111111111111111111";
    private const string Minter = "0x2222222222222222222222222222222222222222";
    private const string Alice = "0x3333333333333333333333333333333333333333";
    private const string Bob = "0x4444444444444444444444444444444444444444";
    private const string Zero = "0x0000000000000000000000000000000000000000";
    private const string Tx = "0xaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
    private const string Hash = "0xbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb";

    private static string Topic(string address) => "0x" + address[2..].PadLeft(64, '0');

    private static string Word(long value) => "0x" + value.ToString("x", System.Globalization.CultureInfo.InvariantCulture).PadLeft(64, '0');

    private static EvmLog Log(int index, string data, params string[] topics) => new(Token, topics, data, 10, Hash, Tx, index, false);

    private static readonly Dictionary<long, DateTimeOffset> NoTimes = [];

    [Test]
    public void Decode_MintLogBesideTransfer_MintWithMinterAsActor()
    {
        var logs = new[]
        {
            Log(0, Word(500), EventTopics.Mint, Topic(Minter), Topic(Alice)),
            Log(1, Word(500), EventTopics.Transfer, Topic(Zero), Topic(Alice)),
        };

        var events = Erc20SupplyDecoder.Decode(logs, NoTimes);

        Assert.That(events, Has.Count.EqualTo(1), "the Mint log names the actor; only the Transfer counts supply");
        Assert.Multiple(() =>
        {
            Assert.That(events[0].Kind, Is.EqualTo(SupplyEventKind.Mint));
            Assert.That(events[0].Actor, Is.EqualTo(Minter));
            Assert.That(events[0].Holder, Is.EqualTo(Alice));
            Assert.That(events[0].Position, Is.EqualTo(1));
            Assert.That(events[0].Amount.Value, Is.EqualTo(new System.Numerics.BigInteger(500)));
        });
    }

    [Test]
    public void Decode_AlternatingTransferAndMintPairs_ActorAndHolderStringsShared()
    {
        // As the log reader hands them out: one instance per distinct word, so the memo can match by reference.
        var minter = Topic(Minter);
        var alice = Topic(Alice);
        var zero = Topic(Zero);
        var logs = Enumerable.Range(0, 3).SelectMany(i => new[]
        {
            new EvmLog(Token, [EventTopics.Transfer, zero, alice], Word(500), 10, Hash, $"0x{i:x64}", 2 * i, false),
            new EvmLog(Token, [EventTopics.Mint, minter, alice], Word(500), 10, Hash, $"0x{i:x64}", (2 * i) + 1, false),
        }).ToList();

        var events = Erc20SupplyDecoder.Decode(logs, NoTimes);

        Assert.That(events.Select(e => (e.Actor, e.Holder)), Is.EqualTo(Enumerable.Repeat<(string?, string)>((Minter, Alice), 3)));
        Assert.That(events.Select(e => e.Actor).Distinct(ReferenceEqualityComparer.Instance).Count(), Is.EqualTo(1), "the minter alternates with the zero address in topic 1, and is still one string");
        Assert.That(events.Select(e => e.Holder).Distinct(ReferenceEqualityComparer.Instance).Count(), Is.EqualTo(1), "the holder of Transfer and Mint logs is one string");
    }

    [Test]
    public void Decode_FiatTokenStyleBurnWithoutHolder_PairedByAmount()
    {
        var logs = new[]
        {
            Log(3, Word(70), EventTopics.Burn, Topic(Minter)),
            Log(4, Word(70), EventTopics.Transfer, Topic(Minter), Topic(Zero)),
        };

        var burn = Erc20SupplyDecoder.Decode(logs, NoTimes).Single();

        Assert.That(burn.Kind, Is.EqualTo(SupplyEventKind.Burn));
        Assert.That(burn.Actor, Is.EqualTo(Minter));
        Assert.That(burn.Holder, Is.EqualTo(Minter));
    }

    [Test]
    public void Decode_TwoMintsOfSameAmountInOneTx_EachPairedWithItsOwnRecipient()
    {
        var other = "0x5555555555555555555555555555555555555555";
        var logs = new[]
        {
            Log(0, Word(9), EventTopics.Mint, Topic(Minter), Topic(Alice)),
            Log(1, Word(9), EventTopics.Transfer, Topic(Zero), Topic(Alice)),
            Log(2, Word(9), EventTopics.Mint, Topic(other), Topic(Bob)),
            Log(3, Word(9), EventTopics.Transfer, Topic(Zero), Topic(Bob)),
        };

        var events = Erc20SupplyDecoder.Decode(logs, NoTimes);

        Assert.That(events.Select(e => (e.Holder, e.Actor)), Is.EqualTo(new[] { (Alice, Minter), (Bob, other) }));
    }

    [Test]
    public void Decode_PlainTransferAndZeroToZero_NoSupplyEvent()
    {
        var logs = new[]
        {
            Log(0, Word(1), EventTopics.Transfer, Topic(Alice), Topic(Bob)),
            Log(1, Word(1), EventTopics.Transfer, Topic(Zero), Topic(Zero)),
        };

        Assert.That(Erc20SupplyDecoder.Decode(logs, NoTimes), Is.Empty);
    }

    [Test]
    public void Decode_TransferWithFourTopics_SpecificError()
    {
        var logs = new[] { Log(7, "0x", EventTopics.Transfer, Topic(Zero), Topic(Alice), Word(1)) };
        var ex = Assert.Throws<EvmLogFormatException>(() => Erc20SupplyDecoder.Decode(logs, NoTimes));
        Assert.That(ex!.Message, Does.Contain("log 7").And.Contain("4 topics"));
    }

    [Test]
    public void Decode_AmountDataOfWrongSize_SpecificError()
    {
        var logs = new[] { Log(2, "0x01", EventTopics.Transfer, Topic(Zero), Topic(Alice)) };
        var ex = Assert.Throws<EvmLogFormatException>(() => Erc20SupplyDecoder.Decode(logs, NoTimes));
        Assert.That(ex!.Message, Does.Contain("1 bytes, expected 32"));
    }

    [Test]
    public void Decode_AddressTopicWithDirtyPadding_SpecificError()
    {
        var dirty = "0x00000000000000000000000f" + Alice[2..];
        var logs = new[] { Log(0, Word(1), EventTopics.Transfer, Topic(Zero), dirty) };
        var ex = Assert.Throws<EvmLogFormatException>(() => Erc20SupplyDecoder.Decode(logs, NoTimes));
        Assert.That(ex!.Message, Does.Contain("not a zero-padded address"));
    }

    [Test]
    public void Decode_MaxUint256Amount_Exact()
    {
        var logs = new[] { Log(0, "0x" + new string('f', 64), EventTopics.Transfer, Topic(Zero), Topic(Alice)) };
        Assert.That(Erc20SupplyDecoder.Decode(logs, NoTimes).Single().Amount.Value, Is.EqualTo(Usd1Reconciler.Core.Amounts.TokenAmount.MaxValue));
    }
}
