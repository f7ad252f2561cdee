using System.Globalization;
using Usd1Reconciler.Core.Amounts;
using Usd1Reconciler.Core.Governance;
using Usd1Reconciler.Evm.Rpc;

namespace Usd1Reconciler.Evm.Decoding;

/// <summary>
/// Turns a token's privileged-action logs into <see cref="GovernanceChange"/>s. An event's arguments are read as the
/// indexed topics followed by the data words, which is their declaration order for every standard event here (indexed
/// arguments come first) — so OpenZeppelin's <c>AdminChanged(address,address)</c> with data words and a token that
/// indexes them decode alike. A log of a known topic0 with the wrong number of words is refused, naming tx and log.
/// Logs of other topics (supply events) are skipped; declared events are decoded by <see cref="DeclaredEventDecoder"/>.
/// </summary>
public static class GovernanceLogDecoder
{
    private const string ZeroAddress = "0x0000000000000000000000000000000000000000";

    public static IReadOnlyList<GovernanceChange> Decode(string network, IReadOnlyList<EvmLog> logs, IReadOnlyDictionary<long, DateTimeOffset> blockTimes, DeclaredEventDecoder? declared = null)
    {
        ArgumentNullException.ThrowIfNull(logs);
        ArgumentNullException.ThrowIfNull(blockTimes);
        var changes = new List<GovernanceChange>();
        foreach (var log in logs)
        {
            if (log.Topics.Count == 0)
            {
                continue;
            }

            var time = blockTimes.TryGetValue(log.BlockNumber, out var t) ? t : (DateTimeOffset?)null;
            GovernanceChange Make(GovernanceChangeKind kind, string subject, string? oldValue, string? newValue, string? actor) =>
                new(network, kind, subject, oldValue, newValue, actor, log.BlockNumber, log.BlockHash, log.TransactionHash, log.LogIndex, -1, time);

            var topic0 = log.Topics[0];
            if (topic0 == GovernanceEventTopics.RoleGranted || topic0 == GovernanceEventTopics.RoleRevoked)
            {
                var w = Words(log, 3, "RoleGranted/RoleRevoked(bytes32,address,address)");
                var account = Address(log, w[1]);
                changes.Add(topic0 == GovernanceEventTopics.RoleGranted
                    ? Make(GovernanceChangeKind.RoleGranted, w[0], null, account, Address(log, w[2]))
                    : Make(GovernanceChangeKind.RoleRevoked, w[0], account, null, Address(log, w[2])));
            }
            else if (topic0 == GovernanceEventTopics.RoleAdminChanged)
            {
                var w = Words(log, 3, "RoleAdminChanged(bytes32,bytes32,bytes32)");
                changes.Add(Make(GovernanceChangeKind.RoleAdminChanged, w[0], w[1], w[2], null));
            }
            else if (topic0 == GovernanceEventTopics.OwnershipTransferred)
            {
                var w = Words(log, 2, "OwnershipTransferred(address,address)");
                changes.Add(Make(GovernanceChangeKind.OwnershipTransferred, GovernanceStateKeys.Owner, NoneIfZero(Address(log, w[0])), NoneIfZero(Address(log, w[1])), NoneIfZero(Address(log, w[0]))));
            }
            else if (topic0 == GovernanceEventTopics.OwnershipTransferStarted)
            {
                var w = Words(log, 2, "OwnershipTransferStarted(address,address)");
                changes.Add(Make(GovernanceChangeKind.OwnershipTransferStarted, GovernanceStateKeys.PendingOwner, null, Address(log, w[1]), Address(log, w[0])));
            }
            else if (topic0 == GovernanceEventTopics.Paused || topic0 == GovernanceEventTopics.Unpaused)
            {
                var w = Words(log, 1, "Paused/Unpaused(address)");
                changes.Add(Make(topic0 == GovernanceEventTopics.Paused ? GovernanceChangeKind.Paused : GovernanceChangeKind.Unpaused, GovernanceStateKeys.Paused, null, null, Address(log, w[0])));
            }
            else if (topic0 == GovernanceEventTopics.Pause || topic0 == GovernanceEventTopics.Unpause)
            {
                Words(log, 0, "Pause()/Unpause()");
                changes.Add(Make(topic0 == GovernanceEventTopics.Pause ? GovernanceChangeKind.Paused : GovernanceChangeKind.Unpaused, GovernanceStateKeys.Paused, null, null, null));
            }
            else if (topic0 == GovernanceEventTopics.MinterConfigured)
            {
                var w = Words(log, 2, "MinterConfigured(address,uint256)");
                changes.Add(Make(GovernanceChangeKind.MinterConfigured, Address(log, w[0]), null, TokenAmount.ParseHex(w[1]).Value.ToString(CultureInfo.InvariantCulture), null));
            }
            else if (topic0 == GovernanceEventTopics.MinterRemoved)
            {
                var w = Words(log, 1, "MinterRemoved(address)");
                changes.Add(Make(GovernanceChangeKind.MinterRemoved, Address(log, w[0]), null, null, null));
            }
            else if (Authority(topic0) is { } key)
            {
                var w = Words(log, 1, key + " changed (address)");
                changes.Add(Make(GovernanceChangeKind.AuthorityChanged, key, null, NoneIfZero(Address(log, w[0])), null));
            }
            else if (topic0 == GovernanceEventTopics.Blacklisted || topic0 == GovernanceEventTopics.Denylisted)
            {
                var w = Words(log, 1, "Blacklisted/Denylisted(address)");
                changes.Add(Make(GovernanceChangeKind.Denylisted, Address(log, w[0]), null, null, null));
            }
            else if (topic0 == GovernanceEventTopics.UnBlacklisted || topic0 == GovernanceEventTopics.Undenylisted)
            {
                var w = Words(log, 1, "UnBlacklisted/Undenylisted(address)");
                changes.Add(Make(GovernanceChangeKind.Undenylisted, Address(log, w[0]), null, null, null));
            }
            else if (topic0 == GovernanceEventTopics.Upgraded)
            {
                var w = Words(log, 1, "Upgraded(address)");
                changes.Add(Make(GovernanceChangeKind.Upgraded, GovernanceStateKeys.Implementation, null, Address(log, w[0]), null));
            }
            else if (topic0 == GovernanceEventTopics.AdminChanged)
            {
                var w = Words(log, 2, "AdminChanged(address,address)");
                changes.Add(Make(GovernanceChangeKind.AdminChanged, GovernanceStateKeys.ProxyAdmin, NoneIfZero(Address(log, w[0])), NoneIfZero(Address(log, w[1])), null));
            }
            else if (topic0 == GovernanceEventTopics.BeaconUpgraded)
            {
                var w = Words(log, 1, "BeaconUpgraded(address)");
                changes.Add(Make(GovernanceChangeKind.BeaconUpgraded, GovernanceStateKeys.Beacon, null, Address(log, w[0]), null));
            }
            else if (declared is not null && declared.TryDecode(log, out var subject, out var arguments))
            {
                changes.Add(Make(GovernanceChangeKind.Declared, subject, null, arguments, null));
            }
        }

        return changes;
    }

    private static string? Authority(string topic0) =>
        topic0 == GovernanceEventTopics.MasterMinterChanged ? GovernanceAuthorities.MasterMinter
        : topic0 == GovernanceEventTopics.PauserChanged ? GovernanceAuthorities.Pauser
        : topic0 == GovernanceEventTopics.BlacklisterChanged ? GovernanceAuthorities.Blacklister
        : topic0 == GovernanceEventTopics.RescuerChanged ? GovernanceAuthorities.Rescuer
        : null;

    /// <summary>The event's argument words: indexed topics then data words, exactly <paramref name="count"/> of them.</summary>
    internal static string[] Words(EvmLog log, int count, string signature)
    {
        var dataDigits = log.Data.Length - 2;
        if (dataDigits % 64 != 0)
        {
            throw new EvmLogFormatException(log.TransactionHash, log.LogIndex, $"{signature}: data of {dataDigits / 2} bytes is not whole 32-byte words");
        }

        var words = new string[log.Topics.Count - 1 + (dataDigits / 64)];
        if (words.Length != count)
        {
            throw new EvmLogFormatException(log.TransactionHash, log.LogIndex, $"{signature}: {words.Length} argument words (topics and data), expected {count}");
        }

        for (var i = 1; i < log.Topics.Count; i++)
        {
            words[i - 1] = log.Topics[i];
        }

        for (var i = 0; i < dataDigits / 64; i++)
        {
            words[log.Topics.Count - 1 + i] = string.Concat("0x", log.Data.AsSpan(2 + (i * 64), 64));
        }

        return words;
    }

    internal static string Address(EvmLog log, string word)
    {
        if (word.Length != 66 || !word.AsSpan(2, 24).SequenceEqual("000000000000000000000000"))
        {
            throw new EvmLogFormatException(log.TransactionHash, log.LogIndex, $"word '{word}' is not a zero-padded address");
        }

        return "0x" + word[26..];
    }

    private static string? NoneIfZero(string address) => address == ZeroAddress ? null : address;
}
