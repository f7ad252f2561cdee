using Usd1Reconciler.Core.Amounts;
using Usd1Reconciler.Core.Supply;
using Usd1Reconciler.Evm.Rpc;

namespace Usd1Reconciler.Evm.Decoding;

/// <summary>
/// Turns a token's logs into supply events. The ERC-20 Transfer is the source of truth for every token: from the zero
/// address is a mint, to it a burn. A token that also emits Mint/Burn names who did it; such a log is paired with the
/// Transfer of the same transaction that has the same holder and amount, so the actor is recorded without counting
/// anything twice. A Transfer from zero to zero changes no supply and is skipped.
/// </summary>
public static class Erc20SupplyDecoder
{
    private const string ZeroAddress = "0x0000000000000000000000000000000000000000";
    private const string AddressPadding = "000000000000000000000000";
    private const string ZeroWord = "0x0000000000000000000000000000000000000000000000000000000000000000";

    /// <param name="logs">Logs of the token's address, in chain order (block, then log index).</param>
    /// <param name="blockTimes">Known block timestamps, by number (may be empty).</param>
    public static IReadOnlyList<SupplyEvent> Decode(IReadOnlyList<EvmLog> logs, IReadOnlyDictionary<long, DateTimeOffset> blockTimes)
    {
        ArgumentNullException.ThrowIfNull(logs);
        ArgumentNullException.ThrowIfNull(blockTimes);
        var events = new List<SupplyEvent>(logs.Count);
        var actors = new List<ActorLog>();
        var addresses = new AddressMemo();
        foreach (var log in logs)
        {
            if (log.Topics.Count == 0)
            {
                continue;
            }

            var topic0 = log.Topics[0];
            if (topic0 == EventTopics.Transfer)
            {
                if (log.Topics.Count != 3)
                {
                    // Not the ERC-20 shape (e.g. an ERC-721 Transfer has four topics); this token does not count supply here.
                    throw new EvmLogFormatException(log.TransactionHash, log.LogIndex, $"Transfer has {log.Topics.Count} topics, an ERC-20 Transfer has 3");
                }

                var from = addresses.Get(log, 1);
                var to = addresses.Get(log, 2);
                var amount = Amount(log, expectedWords: 1, wordIndex: 0);
                if (from == ZeroAddress && to == ZeroAddress)
                {
                    continue;
                }

                if (from == ZeroAddress)
                {
                    events.Add(Event(log, SupplyEventKind.Mint, to, amount, blockTimes));
                }
                else if (to == ZeroAddress)
                {
                    events.Add(Event(log, SupplyEventKind.Burn, from, amount, blockTimes));
                }
            }
            else if (topic0 == EventTopics.Mint)
            {
                RequireTopics(log, 3, "Mint(address,address,uint256)");
                actors.Add(new ActorLog(log.TransactionHash, log.LogIndex, SupplyEventKind.Mint, addresses.Get(log, 1), addresses.Get(log, 2), Amount(log, 1, 0)));
            }
            else if (topic0 == EventTopics.BurnFrom)
            {
                RequireTopics(log, 3, "Burn(address,address,uint256)");
                actors.Add(new ActorLog(log.TransactionHash, log.LogIndex, SupplyEventKind.Burn, addresses.Get(log, 1), addresses.Get(log, 2), Amount(log, 1, 0)));
            }
            else if (topic0 == EventTopics.Burn)
            {
                RequireTopics(log, 2, "Burn(address,uint256)");
                actors.Add(new ActorLog(log.TransactionHash, log.LogIndex, SupplyEventKind.Burn, addresses.Get(log, 1), Holder: null, Amount(log, 1, 0)));
            }
        }

        return actors.Count == 0 ? events : AttachActors(events, actors);
    }

    private static List<SupplyEvent> AttachActors(List<SupplyEvent> events, List<ActorLog> actors)
    {
        var byTransaction = actors.GroupBy(a => a.TransactionHash).ToDictionary(g => g.Key, g => g.ToList());
        var result = new List<SupplyEvent>(events.Count);
        foreach (var e in events)
        {
            if (!byTransaction.TryGetValue(e.TransactionId, out var candidates))
            {
                result.Add(e);
                continue;
            }

            // Nearest unconsumed log of the same kind, holder (when the actor log names one) and amount.
            var match = candidates
                .Where(a => a.Kind == e.Kind && a.Amount == e.Amount && (a.Holder is null || a.Holder == e.Holder))
                .OrderBy(a => Math.Abs(a.LogIndex - e.Position))
                .FirstOrDefault();
            if (match is null)
            {
                result.Add(e);
                continue;
            }

            candidates.Remove(match);
            result.Add(e with { Actor = match.Actor });
        }

        return result;
    }

    private static SupplyEvent Event(EvmLog log, SupplyEventKind kind, string holder, TokenAmount amount, IReadOnlyDictionary<long, DateTimeOffset> blockTimes) =>
        new(kind, log.BlockNumber, log.BlockHash, log.TransactionHash, log.LogIndex, SupplyEvent.TopLevel, Actor: null, holder, amount,
            blockTimes.TryGetValue(log.BlockNumber, out var time) ? time : null);

    private static void RequireTopics(EvmLog log, int count, string signature)
    {
        if (log.Topics.Count != count)
        {
            throw new EvmLogFormatException(log.TransactionHash, log.LogIndex, $"{signature} has {log.Topics.Count} topics, expected {count}");
        }
    }

    private static string Address(EvmLog log, int topicIndex)
    {
        var word = log.Topics[topicIndex];
        // An address topic is the 20-byte address left-padded with twelve zero bytes; anything else is not an address.
        if (!word.AsSpan(2, 24).SequenceEqual(AddressPadding))
        {
            throw new EvmLogFormatException(log.TransactionHash, log.LogIndex, $"topic {topicIndex} '{word}' is not a zero-padded address");
        }

        return word == ZeroWord ? ZeroAddress : string.Concat("0x", word.AsSpan(26));
    }

    private static TokenAmount Amount(EvmLog log, int expectedWords, int wordIndex)
    {
        var hexDigits = log.Data.Length - 2;
        if (hexDigits != expectedWords * 64)
        {
            throw new EvmLogFormatException(log.TransactionHash, log.LogIndex, $"data holds {hexDigits / 2} bytes, expected {expectedWords * 32}");
        }

        // The first word is read in place, "0x" included; a later one needs the prefix put in front of it.
        return wordIndex == 0
            ? TokenAmount.ParseHex(log.Data.AsSpan(0, 66))
            : TokenAmount.ParseHex(string.Concat("0x", log.Data.AsSpan(2 + (wordIndex * 64), 64)));
    }

    /// <summary>
    /// The addresses of the last two topic words seen at each position: a backfill sees the same holder (and the zero
    /// address) in log after log, and the log reader hands out the same string instance for an equal word, so a
    /// reference check usually spares both the padding check and a new string. Two per position, because Transfer and
    /// Mint/Burn logs alternate and their topic 1 alternates between the zero address and the minter (issue 18.5: each
    /// event's actor and holder were new strings of their own, held until the event was stored).
    /// </summary>
    private sealed class AddressMemo
    {
        private readonly string?[] _words = new string?[3];
        private readonly string[] _addresses = new string[3];
        private readonly string?[] _wordsBefore = new string?[3];
        private readonly string[] _addressesBefore = new string[3];

        public string Get(EvmLog log, int topicIndex)
        {
            var word = log.Topics[topicIndex];
            if (ReferenceEquals(word, _words[topicIndex]))
            {
                return _addresses[topicIndex];
            }

            if (ReferenceEquals(word, _wordsBefore[topicIndex]))
            {
                var known = _addressesBefore[topicIndex];
                (_wordsBefore[topicIndex], _addressesBefore[topicIndex]) = (_words[topicIndex], _addresses[topicIndex]);
                (_words[topicIndex], _addresses[topicIndex]) = (word, known);
                return known;
            }

            var address = Address(log, topicIndex);
            (_wordsBefore[topicIndex], _addressesBefore[topicIndex]) = (_words[topicIndex], _addresses[topicIndex]);
            (_words[topicIndex], _addresses[topicIndex]) = (word, address);
            return address;
        }
    }

    private sealed record ActorLog(string TransactionHash, int LogIndex, SupplyEventKind Kind, string Actor, string? Holder, TokenAmount Amount);
}
