using Usd1Reconciler.Core.Governance;
using Usd1Reconciler.Evm.Decoding;
using Usd1Reconciler.Evm.Rpc;

namespace Usd1Reconciler.Tests.Evm.Decoding;

public sealed class GovernanceLogDecoderTests
{
    private const string Role = "0x9f2df0fed2c77648de5860a4cc508cd0818c85b8b8a1ab4ceeef8d981c8956a6";
    private const string Alice = "0x00000000000000000000000000000000000a11ce";
    private const string Bob = "0x0000000000000000000000000000000000000b0b";

    private static string Word(string address) => "0x" + new string('0', 24) + address[2..];

    private static EvmLog Log(string topic0, string[] topics, string data = "0x", int index = 0) =>
        new("0xtoken", [topic0, .. topics], data, 7, "0xblock7", "0xtx", index, false);

    private static IReadOnlyList<GovernanceChange> Decode(params EvmLog[] logs) =>
        GovernanceLogDecoder.Decode("eth", logs, new Dictionary<long, DateTimeOffset>());

    [Test]
    public void Decode_RoleGranted_RoleAccountAndSender()
    {
        var change = Decode(Log(GovernanceEventTopics.RoleGranted, [Role, Word(Alice), Word(Bob)], index: 4)).Single();

        Assert.That((change.Kind, change.Subject, change.NewValue, change.Actor), Is.EqualTo((GovernanceChangeKind.RoleGranted, Role, (string?)Alice, (string?)Bob)));
        Assert.That((change.BlockNumber, change.TransactionId, change.Position, change.SubPosition), Is.EqualTo((7L, "0xtx", 4, -1)));
    }

    [Test]
    public void Decode_AdminChangedWithDataWords_SameAsIndexed()
    {
        // OpenZeppelin's ERC1967 AdminChanged(address previousAdmin, address newAdmin) has no indexed arguments.
        var fromData = Decode(Log(GovernanceEventTopics.AdminChanged, [], "0x" + Word(Alice)[2..] + Word(Bob)[2..])).Single();
        var fromTopics = Decode(Log(GovernanceEventTopics.AdminChanged, [Word(Alice), Word(Bob)])).Single();

        Assert.That((fromData.OldValue, fromData.NewValue), Is.EqualTo(((string?)Alice, (string?)Bob)));
        Assert.That((fromTopics.OldValue, fromTopics.NewValue), Is.EqualTo((fromData.OldValue, fromData.NewValue)));
    }

    [Test]
    public void Decode_PausedWithAccountInData_ActorIsAccount()
    {
        var change = Decode(Log(GovernanceEventTopics.Paused, [], "0x" + Word(Alice)[2..])).Single();

        Assert.That((change.Kind, change.Actor), Is.EqualTo((GovernanceChangeKind.Paused, (string?)Alice)));
    }

    [Test]
    public void Decode_MinterConfiguredUint256Max_ExactDecimal()
    {
        var change = Decode(Log(GovernanceEventTopics.MinterConfigured, [Word(Alice)], "0x" + new string('f', 64))).Single();

        Assert.That(change.NewValue, Is.EqualTo("115792089237316195423570985008687907853269984665640564039457584007913129639935"));
    }

    [Test]
    public void Decode_FiatTokenAuthoritiesAndBlacklist_MappedToKeysAndDenylist()
    {
        var changes = Decode(
            Log(GovernanceEventTopics.MasterMinterChanged, [Word(Alice)], index: 0),
            Log(GovernanceEventTopics.Blacklisted, [Word(Bob)], index: 1),
            Log(GovernanceEventTopics.Undenylisted, [Word(Bob)], index: 2),
            Log(GovernanceEventTopics.OwnershipTransferred, [Word("0x0000000000000000000000000000000000000000"), Word(Alice)], index: 3));

        Assert.That(changes.Select(c => (c.Kind, c.Subject)), Is.EqualTo(new[]
        {
            (GovernanceChangeKind.AuthorityChanged, GovernanceAuthorities.MasterMinter),
            (GovernanceChangeKind.Denylisted, Bob),
            (GovernanceChangeKind.Undenylisted, Bob),
            (GovernanceChangeKind.OwnershipTransferred, GovernanceStateKeys.Owner),
        }));
        Assert.That(changes[3].OldValue, Is.Null, "a transfer from the zero address has no previous owner");
    }

    [Test]
    public void Decode_KnownTopicWithWrongWordCount_RefusedNamingTxAndLog()
    {
        var ex = Assert.Throws<EvmLogFormatException>(() => Decode(Log(GovernanceEventTopics.RoleGranted, [Role, Word(Alice)], index: 9)));

        Assert.That(ex!.Message, Does.Contain("0xtx").And.Contain("9"));
    }

    [Test]
    public void Decode_SupplyAndUnknownTopics_Skipped() =>
        Assert.That(Decode(Log(EventTopics.Transfer, [Word(Alice), Word(Bob)], "0x" + new string('0', 63) + "1"), Log("0x" + new string('e', 64), [])), Is.Empty);
}
