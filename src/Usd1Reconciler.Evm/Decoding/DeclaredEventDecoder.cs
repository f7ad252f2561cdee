using System.Globalization;
using System.Numerics;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Usd1Reconciler.Evm.Rpc;

namespace Usd1Reconciler.Evm.Decoding;

/// <summary>
/// Decodes the events an operator declares from the token's ABI JSON file (issue 15). Our own decoder, not an ABI
/// library: events carry only value types, <c>string</c> and <c>bytes</c> in practice, and the Ethereum ABI for those
/// is a head of 32-byte words with offsets to length-prefixed tails — small enough to own, test against hand-encoded
/// logs, and keep on the indexer's streaming path without a second JSON stack (Nethereum.ABI decoded ~27k logs/s here
/// against the reader's ~722k). Arrays and tuples are refused when the configuration is loaded, naming the event.
/// Indexed dynamic arguments are on chain only as their keccak256, and are shown as that hash.
/// </summary>
public sealed class DeclaredEventDecoder
{
    private readonly Dictionary<string, DeclaredEvent> _byTopic;

    private readonly Dictionary<string, DeclaredEvent> _byDeclaration;

    private DeclaredEventDecoder(Dictionary<string, DeclaredEvent> byTopic, Dictionary<string, DeclaredEvent> byDeclaration)
    {
        _byTopic = byTopic;
        _byDeclaration = byDeclaration;
    }

    /// <summary>topic0 of every declared event, for the eth_getLogs filter.</summary>
    public IReadOnlyCollection<string> Topics => _byTopic.Keys;

    /// <summary>
    /// The decoder for <paramref name="declared"/> (event names or full signatures) out of the ABI JSON in
    /// <paramref name="abiJson"/>: an ABI array, or an artifact object with an "abi" array.
    /// </summary>
    /// <exception cref="FormatException">The ABI is not valid JSON or not an ABI; a declared event is not in it, is ambiguous, or has a type this decoder does not read. The message names the event.</exception>
    public static DeclaredEventDecoder Load(string abiJson, IReadOnlyList<string> declared)
    {
        ArgumentNullException.ThrowIfNull(declared);
        JsonNode? root;
        try
        {
            root = JsonNode.Parse(abiJson);
        }
        catch (JsonException ex)
        {
            throw new FormatException($"is not valid JSON ({ex.Message})", ex);
        }

        var abi = root switch
        {
            JsonArray array => array,
            JsonObject obj when obj["abi"] is JsonArray array => array,
            _ => throw new FormatException("is neither an ABI array nor an artifact with an \"abi\" array"),
        };
        var events = new List<DeclaredEvent>();
        foreach (var entry in abi.OfType<JsonObject>())
        {
            if ((string?)entry["type"] != "event" || (string?)entry["name"] is not { Length: > 0 } name || entry["anonymous"]?.GetValue<bool>() == true)
            {
                continue;
            }

            var inputs = (entry["inputs"] as JsonArray ?? []).OfType<JsonObject>()
                .Select((i, n) => new DeclaredInput((string?)i["name"] is { Length: > 0 } inputName ? inputName : $"arg{n}", (string?)i["type"] ?? "", i["indexed"]?.GetValue<bool>() == true))
                .ToList();
            events.Add(new DeclaredEvent(name, $"{name}({string.Join(',', inputs.Select(i => i.Type))})", inputs));
        }

        var byTopic = new Dictionary<string, DeclaredEvent>(StringComparer.Ordinal);
        var byDeclaration = new Dictionary<string, DeclaredEvent>(StringComparer.Ordinal);
        foreach (var wanted in declared)
        {
            var matches = events.Where(e => e.Signature == wanted.Replace(" ", "", StringComparison.Ordinal) || e.Name == wanted).ToList();
            if (matches.Count == 0)
            {
                throw new FormatException($"declares event '{wanted}', which the ABI does not have (events there: {string.Join(", ", events.Select(e => e.Signature).DefaultIfEmpty("none"))})");
            }

            if (matches.Count > 1)
            {
                throw new FormatException($"declares event '{wanted}', which the ABI overloads ({string.Join(", ", matches.Select(m => m.Signature))}); give the full signature");
            }

            var e = matches[0];
            if (e.Inputs.FirstOrDefault(i => !IsSupported(i.Type)) is { } unsupported)
            {
                throw new FormatException($"declares event '{e.Signature}', whose argument '{unsupported.Name}' has type {unsupported.Type}, which is not read (value types, string and bytes are)");
            }

            if (GovernanceEventTopics.All.Contains(EventTopics.Topic(e.Signature)) || EventTopics.All.Contains(EventTopics.Topic(e.Signature)))
            {
                throw new FormatException($"declares event '{e.Signature}', which the daemon already indexes; declare only events it does not know");
            }

            byTopic[EventTopics.Topic(e.Signature)] = e;
            byDeclaration[wanted] = e;
        }

        return new DeclaredEventDecoder(byTopic, byDeclaration);
    }

    /// <summary>
    /// The event behind <paramref name="declaration"/> (a name or signature as given to <see cref="Load"/>): its name
    /// and its arguments (name, whether indexed) — for checking a policy that names them.
    /// </summary>
    public bool TryDescribe(string declaration, out string name, out IReadOnlyList<(string Name, bool Indexed)> arguments)
    {
        ArgumentNullException.ThrowIfNull(declaration);
        if (_byDeclaration.TryGetValue(declaration, out var e))
        {
            name = e.Name;
            arguments = e.Inputs.Select(i => (i.Name, i.Indexed)).ToList();
            return true;
        }

        name = "";
        arguments = [];
        return false;
    }

    /// <summary>
    /// Decodes <paramref name="log"/> if it is a declared event: the entry it sets — its name followed by each indexed
    /// argument, colon-separated (<c>Approval:0xowner:0xspender</c>; the indexed arguments are what the event's author
    /// made searchable, i.e. its identity) — and its arguments as a JSON object (numbers as decimal strings).
    /// </summary>
    public bool TryDecode(EvmLog log, out string subject, out string arguments)
    {
        ArgumentNullException.ThrowIfNull(log);
        subject = "";
        arguments = "";
        if (log.Topics.Count == 0 || !_byTopic.TryGetValue(log.Topics[0], out var e))
        {
            return false;
        }

        var indexed = e.Inputs.Count(i => i.Indexed);
        if (log.Topics.Count != indexed + 1)
        {
            throw new EvmLogFormatException(log.TransactionHash, log.LogIndex, $"{e.Signature} has {log.Topics.Count - 1} indexed topics, the ABI says {indexed}");
        }

        var data = Convert.FromHexString(log.Data.AsSpan(2));
        var values = new JsonObject();
        var topic = 1;
        var head = 0;
        var key = new StringBuilder(e.Name);
        foreach (var input in e.Inputs)
        {
            if (input.Indexed)
            {
                var word = Convert.FromHexString(log.Topics[topic++].AsSpan(2));
                var indexedValue = IsDynamic(input.Type) ? "0x" + Convert.ToHexStringLower(word) : Value(log, input.Type, word);
                values[input.Name] = indexedValue;
                key.Append(':').Append(indexedValue);
                continue;
            }

            var slot = Slice(log, data, head, 32);
            head += 32;
            if (IsDynamic(input.Type))
            {
                var offset = ToIndex(log, new BigInteger(slot, isUnsigned: true, isBigEndian: true), data.Length);
                var length = ToIndex(log, new BigInteger(Slice(log, data, offset, 32), isUnsigned: true, isBigEndian: true), data.Length);
                var bytes = Slice(log, data, offset + 32, length);
                values[input.Name] = input.Type == "string" ? Encoding.UTF8.GetString(bytes) : "0x" + Convert.ToHexStringLower(bytes);
            }
            else
            {
                values[input.Name] = Value(log, input.Type, slot);
            }
        }

        subject = key.ToString();
        arguments = values.ToJsonString();
        return true;
    }

    private static string Value(EvmLog log, string type, byte[] word)
    {
        if (type == "address")
        {
            return "0x" + Convert.ToHexStringLower(word.AsSpan(12));
        }

        if (type == "bool")
        {
            return new BigInteger(word, isUnsigned: true, isBigEndian: true).IsZero ? "false" : "true";
        }

        if (type.StartsWith("uint", StringComparison.Ordinal))
        {
            return new BigInteger(word, isUnsigned: true, isBigEndian: true).ToString(CultureInfo.InvariantCulture);
        }

        if (type.StartsWith("int", StringComparison.Ordinal))
        {
            return new BigInteger(word, isUnsigned: false, isBigEndian: true).ToString(CultureInfo.InvariantCulture);
        }

        if (type.StartsWith("bytes", StringComparison.Ordinal))
        {
            var size = int.Parse(type.AsSpan(5), CultureInfo.InvariantCulture);
            return "0x" + Convert.ToHexStringLower(word.AsSpan(0, size));
        }

        throw new EvmLogFormatException(log.TransactionHash, log.LogIndex, $"type {type} is not read");
    }

    private static byte[] Slice(EvmLog log, byte[] data, int offset, int length)
    {
        if (offset < 0 || length < 0 || offset + length > data.Length)
        {
            throw new EvmLogFormatException(log.TransactionHash, log.LogIndex, $"data of {data.Length} bytes ends before byte {offset + length}");
        }

        return data.AsSpan(offset, length).ToArray();
    }

    private static int ToIndex(EvmLog log, BigInteger value, int limit) =>
        value <= limit ? (int)value : throw new EvmLogFormatException(log.TransactionHash, log.LogIndex, $"offset or length {value} is beyond the data ({limit} bytes)");

    private static bool IsDynamic(string type) => type is "string" or "bytes";

    private static bool IsSupported(string type)
    {
        if (type is "address" or "bool" or "string" or "bytes")
        {
            return true;
        }

        static bool Bits(ReadOnlySpan<char> digits, int step, int max) =>
            digits.Length == 0 || (int.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0 && n <= max && n % step == 0);
        return type.StartsWith("uint", StringComparison.Ordinal) ? Bits(type.AsSpan(4), 8, 256)
            : type.StartsWith("int", StringComparison.Ordinal) ? Bits(type.AsSpan(3), 8, 256)
            : type.StartsWith("bytes", StringComparison.Ordinal) && type.Length > 5 && Bits(type.AsSpan(5), 1, 32);
    }

    private sealed record DeclaredInput(string Name, string Type, bool Indexed);

    private sealed record DeclaredEvent(string Name, string Signature, IReadOnlyList<DeclaredInput> Inputs);
}
