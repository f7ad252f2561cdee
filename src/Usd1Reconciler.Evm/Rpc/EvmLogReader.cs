using System.Text.Json;

namespace Usd1Reconciler.Evm.Rpc;

/// <summary>
/// Reads the logs of one eth_getLogs reply. Neighbouring logs repeat most of their hex strings (the token address,
/// topic0, a holder, the block and transaction hash), so each field keeps the last string it produced and hands out
/// that same instance when the raw JSON text is identical: memory per log shrinks to what actually differs, and the
/// checks still run on every distinct value.
/// </summary>
internal sealed class EvmLogReader(EvmRpcClient rpc)
{
    /// <summary>Topics 0–3 (an EVM log has at most four) share by position; a fifth or later is never shared.</summary>
    public const int TopicSlots = 4;
    public const int NoSlot = -1;
    public const int AddressSlot = 4;
    public const int BlockHashSlot = 5;
    public const int TransactionHashSlot = 6;

    // Slots 0–3: topics by position; then address, block hash, transaction hash.
    private readonly string?[] _last = new string?[7];

    public EvmLog Read(JsonElement item) => rpc.ReadLog(item, this);

    /// <summary>A 0x hash/word of <paramref name="bytes"/> bytes, lower-cased, shared with the previous log's when the text is equal.</summary>
    public string Data(JsonElement value, int bytes, string what, int slot)
    {
        if (value.ValueKind != JsonValueKind.String)
        {
            return EvmHex.ParseData(null, bytes, what);
        }

        if (slot >= 0 && _last[slot] is { } last && value.ValueEquals(last))
        {
            return last;
        }

        var parsed = EvmHex.ParseData(value.GetString(), bytes, what);
        if (slot >= 0)
        {
            _last[slot] = parsed;
        }

        return parsed;
    }
}
