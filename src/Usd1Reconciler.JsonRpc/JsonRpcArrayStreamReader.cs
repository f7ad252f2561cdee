using System.Buffers;
using System.Text.Json;

namespace Usd1Reconciler.JsonRpc;

/// <summary>
/// Reads a single JSON-RPC reply whose result is an array straight off the response stream with a
/// <see cref="Utf8JsonReader"/>: the envelope is checked as <see cref="JsonRpcReplyReader"/> checks it, and each array
/// item is handed to the caller's reader as soon as its bytes are in, so memory holds the items read so far plus one
/// buffer — never the whole reply as a document. Items beyond <c>maxItems</c> stop the read with a
/// <see cref="ReplyTooLargeException"/>.
/// Case list of the envelope: "jsonrpc" must be "2.0"; "id" must be the request's; a non-null "error" (an object with
/// an integer code) wins over "result"; neither is a protocol error; unknown members are skipped; a "result" that is
/// not an array is reported with <c>describeItems</c> ("expected an array of logs, got Object"); anything after the
/// object, or a reply cut short, is not valid JSON.
/// </summary>
internal sealed class JsonRpcArrayStreamReader<T>
{
    private const int InitialBuffer = 64 * 1024;

    private readonly string _method;
    private readonly long _id;
    private readonly string _endpoint;
    private readonly string _describeItems;
    private readonly JsonRpcItemReader<T> _readItem;
    private readonly int _maxItems;
    private readonly List<T> _items = [];

    private Phase _phase = Phase.Start;
    private string? _pendingProperty;
    private bool _versionOk;
    private bool _idOk;
    private bool _sawResult;
    private JsonRpcErrorException? _error;
    private string? _resultKind;

    public JsonRpcArrayStreamReader(string method, long id, string endpoint, string describeItems, JsonRpcItemReader<T> readItem, int maxItems)
    {
        _method = method;
        _id = id;
        _endpoint = endpoint;
        _describeItems = describeItems;
        _readItem = readItem;
        _maxItems = maxItems;
    }

    private enum Phase
    {
        Start,
        Members,
        ResultItems,
        End,
    }

    /// <summary>Reads the reply; returns the items, or throws the node's <see cref="JsonRpcErrorException"/>, an <see cref="RpcProtocolException"/> or a <see cref="JsonException"/> (not JSON).</summary>
    public async Task<IReadOnlyList<T>> ReadAsync(Stream stream, CancellationToken cancellationToken)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(InitialBuffer);
        try
        {
            var state = new JsonReaderState();
            int start = 0, end = 0;
            var final = false;
            while (true)
            {
                if (!final)
                {
                    if (start > 0 && start == end)
                    {
                        start = end = 0;
                    }
                    else if (end == buffer.Length)
                    {
                        // Keep the unread tail; grow only when one token or item does not fit the whole buffer.
                        var tail = end - start;
                        var target = tail * 2 > buffer.Length ? ArrayPool<byte>.Shared.Rent(buffer.Length * 2) : buffer;
                        Buffer.BlockCopy(buffer, start, target, 0, tail);
                        if (!ReferenceEquals(target, buffer))
                        {
                            ArrayPool<byte>.Shared.Return(buffer);
                            buffer = target;
                        }

                        start = 0;
                        end = tail;
                    }

                    var read = await stream.ReadAsync(buffer.AsMemory(end), cancellationToken);
                    end += read;
                    final = read == 0;
                }

                var consumed = Step(buffer.AsSpan(start, end - start), final, ref state);
                start += consumed;
                if (_phase == Phase.End && final)
                {
                    return Finish();
                }

                if (final && _phase != Phase.End)
                {
                    // Step made no progress on the whole remaining input and no more is coming.
                    throw new JsonException("the reply ends in the middle of a value");
                }
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>Consumes as many whole tokens/items as the bytes allow; returns how many bytes were consumed.</summary>
    private int Step(ReadOnlySpan<byte> data, bool final, ref JsonReaderState state)
    {
        var reader = new Utf8JsonReader(data, final, state);
        var consumed = 0;
        while (true)
        {
            var checkpoint = reader;
            switch (_phase)
            {
                case Phase.Start:
                    if (!reader.Read())
                    {
                        return Save(checkpoint, ref state, consumed);
                    }

                    if (reader.TokenType != JsonTokenType.StartObject)
                    {
                        throw Protocol($"reply is a JSON {JsonTokenKind.Of(reader.TokenType)}, not an object");
                    }

                    _phase = Phase.Members;
                    break;

                case Phase.Members when _pendingProperty is null:
                    if (!reader.Read())
                    {
                        return Save(checkpoint, ref state, consumed);
                    }

                    if (reader.TokenType == JsonTokenType.EndObject)
                    {
                        _phase = Phase.End;
                    }
                    else
                    {
                        _pendingProperty = reader.GetString();
                    }

                    break;

                case Phase.Members:
                    if (!ReadMember(ref reader))
                    {
                        return Save(checkpoint, ref state, consumed);
                    }

                    break;

                case Phase.ResultItems:
                    if (!reader.Read())
                    {
                        return Save(checkpoint, ref state, consumed);
                    }

                    if (reader.TokenType == JsonTokenType.EndArray)
                    {
                        _phase = Phase.Members;
                        break;
                    }

                    var item = reader;
                    if (!reader.TrySkip())
                    {
                        return Save(checkpoint, ref state, consumed);
                    }

                    ReadItem(ref item);
                    break;

                case Phase.End:
                    // Only whitespace may follow; the reader throws on anything else.
                    if (reader.Read())
                    {
                        throw new JsonException("data after the end of the reply");
                    }

                    return Save(reader, ref state, consumed);
            }

            consumed = (int)reader.BytesConsumed;
            state = reader.CurrentState;
        }
    }

    private static int Save(Utf8JsonReader at, ref JsonReaderState state, int consumedBefore)
    {
        state = at.CurrentState;
        return Math.Max(consumedBefore, (int)at.BytesConsumed);
    }

    /// <summary>Reads the value of the pending member; false when its bytes are not all in yet (nothing is consumed then).</summary>
    private bool ReadMember(ref Utf8JsonReader reader)
    {
        if (!reader.Read())
        {
            return false;
        }

        var name = _pendingProperty!;
        if (name == "result" && reader.TokenType == JsonTokenType.StartArray)
        {
            _sawResult = true;
            _pendingProperty = null;
            _phase = Phase.ResultItems;
            return true;
        }

        var value = reader;
        if (!reader.TrySkip())
        {
            return false;
        }

        switch (name)
        {
            case "jsonrpc":
                _versionOk = value.TokenType == JsonTokenType.String && value.ValueTextEquals("2.0"u8);
                break;
            case "id":
                _idOk = value.TokenType == JsonTokenType.Number && value.TryGetInt64(out var id) && id == _id;
                break;
            case "error" when value.TokenType != JsonTokenType.Null:
                using (var error = JsonDocument.ParseValue(ref value))
                {
                    _error = ReadError(error.RootElement);
                }

                break;
            case "result":
                _sawResult = true;
                _resultKind = JsonTokenKind.Of(value.TokenType);
                break;
        }

        _pendingProperty = null;
        return true;
    }

    private void ReadItem(ref Utf8JsonReader item)
    {
        if (_items.Count == _maxItems)
        {
            throw new ReplyTooLargeException(_method, _endpoint, _maxItems);
        }

        try
        {
            _items.Add(_readItem(ref item));
        }
        catch (FormatException ex)
        {
            throw Protocol(ex.Message, ex);
        }
        catch (RpcProtocolException ex)
        {
            // Item readers label errors with no endpoint in mind; this is the one that sent the reply.
            throw new RpcProtocolException(ex.Method, _endpoint, ex.Detail, ex);
        }
    }

    private List<T> Finish()
    {
        if (!_versionOk)
        {
            throw Protocol("reply lacks \"jsonrpc\":\"2.0\"");
        }

        if (!_idOk)
        {
            throw Protocol($"reply id does not match request id {_id.ToString(System.Globalization.CultureInfo.InvariantCulture)}");
        }

        if (_error is not null)
        {
            throw _error;
        }

        if (!_sawResult)
        {
            throw Protocol("reply has neither result nor error");
        }

        if (_resultKind is not null)
        {
            throw Protocol($"expected an array of {_describeItems}, got {_resultKind}");
        }

        return _items;
    }

    private JsonRpcErrorException ReadError(JsonElement error)
    {
        if (error.ValueKind != JsonValueKind.Object || !error.TryGetProperty("code", out var code) || code.ValueKind != JsonValueKind.Number
            || !code.TryGetInt64(out var codeValue))
        {
            throw Protocol("error object lacks an integer code");
        }

        var message = error.TryGetProperty("message", out var m) && m.ValueKind == JsonValueKind.String ? m.GetString()! : "(no message)";
        JsonElement? data = error.TryGetProperty("data", out var d) ? d.Clone() : null;
        return new JsonRpcErrorException(_method, _endpoint, codeValue, message, data);
    }

    private RpcProtocolException Protocol(string message, Exception? inner = null) => new(_method, _endpoint, message, inner);
}
