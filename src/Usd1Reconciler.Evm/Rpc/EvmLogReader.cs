using System.Text;
using System.Text.Json;
using Usd1Reconciler.JsonRpc;

namespace Usd1Reconciler.Evm.Rpc;

/// <summary>
/// Reads the logs of one eth_getLogs reply token by token, as the JSON-RPC client streams them: a backfill reads
/// millions of logs, and building a document per log used to be most of the cost of reading one.
/// Every field is still checked (shape, hex, sizes) with the messages of <see cref="EvmHex"/>; fields are checked in a
/// fixed order whatever order the node sends them in, so a log with several faults always names the same one.
/// Neighbouring logs repeat most of their hex strings (the token address, topic0, a holder, the block and transaction
/// hash), so each field keeps the last two strings it produced and hands out the same instance when the raw text is
/// identical: memory per log shrinks to what actually differs, and later stages can compare by reference first. Two,
/// not one, because a stablecoin's supply logs come in pairs (Transfer from zero, then Mint naming the minter; see
/// <see cref="Decoding.Erc20SupplyDecoder"/>): topic 0, topic 1 and the data alternate between two values from log to
/// log, and a single remembered string matched none of them (each of a backfill's logs kept ~3 strings of its own that
/// the log before last already had, about 450 bytes of the ~1.1 KB a log costs; issue 18.5).
/// </summary>
internal sealed class EvmLogReader
{
    /// <summary>Topics 0–3 (an EVM log has at most four) share by position; a fifth or later is never shared.</summary>
    private const int TopicSlots = 4;
    private const int NoSlot = -1;
    private const int AddressSlot = 4;
    private const int BlockHashSlot = 5;
    private const int TransactionHashSlot = 6;
    private const int DataSlot = 7;
    private const int Slots = 8;

    // 9999-12-31T23:59:59Z, the last second a DateTimeOffset holds.
    private const long MaxUnixSeconds = 253_402_300_799;

    // Slots 0–3: topics by position; then address, block hash, transaction hash, data. Per slot the string produced
    // last and the one before it (the pair a Transfer/Mint sequence alternates between).
    private readonly string?[] _last = new string?[Slots];
    private readonly string?[] _beforeLast = new string?[Slots];
    private readonly List<string> _topics = new(TopicSlots);

    /// <summary>One log; <see cref="FormatException"/> names the first field that is wrong.</summary>
    public EvmLog Read(ref Utf8JsonReader item)
    {
        if (item.TokenType != JsonTokenType.StartObject)
        {
            throw new FormatException($"log is a JSON {JsonTokenKind.Of(item.TokenType)}, not an object");
        }

        ReadOnlySpan<byte> address = default, data = default, blockNumber = default, blockHash = default, transactionHash = default, logIndex = default, blockTimestamp = default;
        bool hasAddress = false, hasData = false, hasBlockNumber = false, hasBlockHash = false, hasTransactionHash = false, hasLogIndex = false, hasBlockTimestamp = false;
        bool hasTopics = false, removed = false, blockTimestampNotText = false;
        string[]? topics = null;
        FormatException? topicFault = null;
        while (item.Read() && item.TokenType == JsonTokenType.PropertyName)
        {
            // A repeated member counts once, the last one, as when the log is read into a document.
            if (item.ValueTextEquals("address"u8))
            {
                address = StringValue(ref item, out hasAddress);
            }
            else if (item.ValueTextEquals("topics"u8))
            {
                item.Read();
                hasTopics = item.TokenType == JsonTokenType.StartArray;
                (topics, topicFault) = hasTopics ? ReadTopics(ref item) : (null, null);
            }
            else if (item.ValueTextEquals("data"u8))
            {
                data = StringValue(ref item, out hasData);
            }
            else if (item.ValueTextEquals("blockNumber"u8))
            {
                blockNumber = StringValue(ref item, out hasBlockNumber);
            }
            else if (item.ValueTextEquals("blockHash"u8))
            {
                blockHash = StringValue(ref item, out hasBlockHash);
            }
            else if (item.ValueTextEquals("transactionHash"u8))
            {
                transactionHash = StringValue(ref item, out hasTransactionHash);
            }
            else if (item.ValueTextEquals("logIndex"u8))
            {
                logIndex = StringValue(ref item, out hasLogIndex);
            }
            else if (item.ValueTextEquals("blockTimestamp"u8))
            {
                blockTimestamp = StringValue(ref item, out hasBlockTimestamp);
                blockTimestampNotText = !hasBlockTimestamp && item.TokenType != JsonTokenType.Null;
            }
            else if (item.ValueTextEquals("removed"u8))
            {
                item.Read();
                removed = item.TokenType == JsonTokenType.True;
            }
            else
            {
                item.Read();
            }

            // Past the member's value (a no-op for a scalar): the item is whole in the buffer, so this cannot run short.
            item.TrySkip();
        }

        if (!hasTopics)
        {
            throw new FormatException("log has no topics array");
        }

        if (topicFault is not null)
        {
            throw topicFault;
        }

        var dataText = hasData ? SharedData(data) : null;
        if (dataText is null)
        {
            throw new FormatException("log data is not 0x-prefixed hex of whole bytes");
        }

        var index = Quantity(hasLogIndex, logIndex, "logIndex");
        if (index > int.MaxValue)
        {
            throw new FormatException($"logIndex {index} is out of range");
        }

        var log = new EvmLog(
            Shared(hasAddress, address, 20, "log address", AddressSlot),
            topics!,
            dataText,
            Quantity(hasBlockNumber, blockNumber, "log blockNumber"),
            Shared(hasBlockHash, blockHash, 32, "log blockHash", BlockHashSlot),
            Shared(hasTransactionHash, transactionHash, 32, "log transactionHash", TransactionHashSlot),
            (int)index,
            removed);

        // Optional, and checked after every other field: nodes that do not send it (or send null) leave the block's
        // time to a header read; one that sends it wrong fails the reply like any other wrong field.
        if (blockTimestampNotText)
        {
            throw new FormatException("log blockTimestamp is not a hex quantity string");
        }

        if (!hasBlockTimestamp)
        {
            return log;
        }

        var seconds = EvmHex.ParseQuantity(blockTimestamp, "log blockTimestamp");
        return seconds <= MaxUnixSeconds
            ? log with { BlockTimestamp = DateTimeOffset.FromUnixTimeSeconds(seconds) }
            : throw new FormatException($"log blockTimestamp {seconds} is out of range");
    }

    /// <summary>Reads a topics array (the reader on its start); a bad topic is returned, not thrown, so it is reported after the shape checks before it.</summary>
    private (string[]? Topics, FormatException? Fault) ReadTopics(ref Utf8JsonReader item)
    {
        _topics.Clear();
        FormatException? fault = null;
        while (item.Read() && item.TokenType != JsonTokenType.EndArray)
        {
            var slot = _topics.Count < TopicSlots ? _topics.Count : NoSlot;
            var isString = item.TokenType == JsonTokenType.String;
            var text = isString ? Raw(ref item) : default;
            item.TrySkip();
            if (fault is not null)
            {
                continue;
            }

            try
            {
                _topics.Add(Shared(isString, text, 32, "topic", slot));
            }
            catch (FormatException ex)
            {
                fault = ex;
            }
        }

        return (fault is null ? [.. _topics] : null, fault);
    }

    /// <summary>
    /// A 0x hash/word of <paramref name="bytes"/> bytes, lower-cased, shared with one of the two previous logs' when
    /// the text is equal.
    /// </summary>
    private string Shared(bool present, ReadOnlySpan<byte> text, int bytes, string what, int slot)
    {
        if (!present)
        {
            return EvmHex.ParseData((string?)null, bytes, what);
        }

        if (Remembered(slot, text) is { } known)
        {
            return known;
        }

        var parsed = EvmHex.ParseData(text, bytes, what);
        Remember(slot, parsed);
        return parsed;
    }

    /// <summary>
    /// The log's data as <see cref="LowerHexData"/> gives it, shared like the words (a pair's Transfer and Mint carry
    /// the same amount).
    /// </summary>
    private string? SharedData(ReadOnlySpan<byte> text)
    {
        if (Remembered(DataSlot, text) is { } known)
        {
            return known;
        }

        var parsed = LowerHexData(text);
        if (parsed is not null)
        {
            Remember(DataSlot, parsed);
        }

        return parsed;
    }

    /// <summary>
    /// The string remembered in <paramref name="slot"/> whose text is exactly <paramref name="text"/> (byte for byte,
    /// so upper-case hex is never handed the lower-cased string of other text); the one found is made the latest.
    /// </summary>
    private string? Remembered(int slot, ReadOnlySpan<byte> text)
    {
        if (slot < 0)
        {
            return null;
        }

        if (_last[slot] is { } last && Ascii.Equals(text, last))
        {
            return last;
        }

        if (_beforeLast[slot] is { } beforeLast && Ascii.Equals(text, beforeLast))
        {
            _beforeLast[slot] = _last[slot];
            _last[slot] = beforeLast;
            return beforeLast;
        }

        return null;
    }

    private void Remember(int slot, string parsed)
    {
        if (slot >= 0)
        {
            _beforeLast[slot] = _last[slot];
            _last[slot] = parsed;
        }
    }

    private static long Quantity(bool present, ReadOnlySpan<byte> text, string what) =>
        present ? EvmHex.ParseQuantity(text, what) : EvmHex.ParseQuantity((string?)null, what);

    /// <summary>Moves to the member's value and returns its raw text; <paramref name="isString"/> false when it is not a string (read like a missing member).</summary>
    private static ReadOnlySpan<byte> StringValue(scoped ref Utf8JsonReader item, out bool isString)
    {
        item.Read();
        isString = item.TokenType == JsonTokenType.String;
        return isString ? Raw(ref item) : default;
    }

    /// <summary>The string's UTF-8 text, unescaped (hex never needs escapes, but a node may send them).</summary>
    private static ReadOnlySpan<byte> Raw(scoped ref Utf8JsonReader item) =>
        item.ValueIsEscaped ? Encoding.UTF8.GetBytes(item.GetString()!) : item.ValueSpan;

    /// <summary>"0x" and whole bytes of hex, lower-cased; null when it is not that shape (as before, digits are checked by whoever reads the words).</summary>
    private static string? LowerHexData(ReadOnlySpan<byte> text)
    {
        if (Ascii.IsValid(text))
        {
            if (text.Length % 2 != 0 || !text.StartsWith("0x"u8))
            {
                return null;
            }

            var ascii = Encoding.ASCII.GetString(text);
            return text.IndexOfAnyInRange((byte)'A', (byte)'Z') < 0 ? ascii : ascii.ToLowerInvariant();
        }

        var s = Encoding.UTF8.GetString(text);
        return s.Length % 2 == 0 && s.StartsWith("0x", StringComparison.Ordinal) ? s.ToLowerInvariant() : null;
    }
}
