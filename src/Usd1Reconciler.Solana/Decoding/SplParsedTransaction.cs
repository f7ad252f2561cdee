using System.Text.Json;
using Usd1Reconciler.Solana.Rpc;

namespace Usd1Reconciler.Solana.Decoding;

/// <summary>
/// The parts of a jsonParsed getTransaction reply every decoder of it needs, checked once: signature, slot, block time,
/// whether it failed, and its instructions in execution order — top-level ones, then each <c>meta.innerInstructions</c>
/// group under the index of the top-level instruction that made the CPIs. Pure: no I/O, no clock.
/// </summary>
internal sealed class SplParsedTransaction
{
    private SplParsedTransaction(string signature, long slot, DateTimeOffset? blockTime, bool failed, IReadOnlyList<SplParsedInstruction> instructions)
    {
        Signature = signature;
        Slot = slot;
        BlockTime = blockTime;
        Failed = failed;
        Instructions = instructions;
    }

    public string Signature { get; }

    public long Slot { get; }

    public DateTimeOffset? BlockTime { get; }

    /// <summary><c>meta.err</c> is set: the transaction changed nothing but the fee payer's balance; no instructions are read.</summary>
    public bool Failed { get; }

    public IReadOnlyList<SplParsedInstruction> Instructions { get; }

    public SplTransactionFormatException Fail(string message) => new(Signature, message);

    /// <summary>Reads the reply; throws <see cref="SplTransactionFormatException"/> naming what is missing or malformed.</summary>
    public static SplParsedTransaction Read(JsonElement reply)
    {
        var signature = ReadSignature(reply);
        var fail = (string message) => new SplTransactionFormatException(signature, message);

        // Every known version renders the parsed instructions read below alike; an unknown one may not.
        SolanaTransactionVersions.Read(reply, signature);

        if (!reply.TryGetProperty("slot", out var slotElement) || slotElement.ValueKind != JsonValueKind.Number
            || !slotElement.TryGetInt64(out var slot) || slot < 0)
        {
            throw fail("'slot' is missing or not a slot number");
        }

        if (!reply.TryGetProperty("meta", out var meta) || meta.ValueKind != JsonValueKind.Object)
        {
            // Without meta neither success nor inner instructions are known: a mint could be hiding in either.
            throw fail("'meta' is missing or null; the node did not record the transaction's status");
        }

        if (!meta.TryGetProperty("err", out var err))
        {
            throw fail("meta lacks 'err'; cannot tell whether the transaction succeeded");
        }

        if (err.ValueKind != JsonValueKind.Null)
        {
            return new SplParsedTransaction(signature, slot, null, failed: true, []);
        }

        DateTimeOffset? blockTime = null;
        if (reply.TryGetProperty("blockTime", out var time) && time.ValueKind != JsonValueKind.Null)
        {
            blockTime = time.ValueKind == JsonValueKind.Number && time.TryGetInt64(out var seconds) && seconds >= 0
                ? DateTimeOffset.FromUnixTimeSeconds(seconds)
                : throw fail($"blockTime is {SolanaRpcClient.Describe(time)}, not unix seconds");
        }

        if (!reply.TryGetProperty("transaction", out var transaction) || transaction.ValueKind != JsonValueKind.Object
            || !transaction.TryGetProperty("message", out var message) || message.ValueKind != JsonValueKind.Object
            || !message.TryGetProperty("instructions", out var instructions) || instructions.ValueKind != JsonValueKind.Array)
        {
            throw fail("transaction.message.instructions is missing; was the reply requested as jsonParsed?");
        }

        var list = new List<SplParsedInstruction>();
        var outer = 0;
        foreach (var instruction in instructions.EnumerateArray())
        {
            list.Add(Instruction(instruction, outer, SplParsedInstruction.TopLevel, signature));
            outer++;
        }

        if (!meta.TryGetProperty("innerInstructions", out var inner) || inner.ValueKind != JsonValueKind.Array)
        {
            // Null means the node did not record CPIs; a mint made through another program would go unseen.
            throw fail("meta.innerInstructions is missing or null; the node did not record inner instructions");
        }

        foreach (var group in inner.EnumerateArray())
        {
            if (group.ValueKind != JsonValueKind.Object
                || !group.TryGetProperty("index", out var indexElement) || indexElement.ValueKind != JsonValueKind.Number
                || !indexElement.TryGetInt32(out var index) || index < 0 || index >= outer
                || !group.TryGetProperty("instructions", out var groupInstructions) || groupInstructions.ValueKind != JsonValueKind.Array)
            {
                throw fail($"meta.innerInstructions holds an entry without a valid top-level 'index' (0-{outer - 1}) and 'instructions' array");
            }

            var position = 0;
            foreach (var instruction in groupInstructions.EnumerateArray())
            {
                list.Add(Instruction(instruction, index, position, signature));
                position++;
            }
        }

        return new SplParsedTransaction(signature, slot, blockTime, failed: false, list);
    }

    private static SplParsedInstruction Instruction(JsonElement instruction, int position, int subPosition, string signature)
    {
        var where = subPosition == SplParsedInstruction.TopLevel ? $"instruction {position}" : $"inner instruction {position}.{subPosition}";
        if (instruction.ValueKind != JsonValueKind.Object)
        {
            throw new SplTransactionFormatException(signature, $"{where} is a JSON {instruction.ValueKind}, not an object");
        }

        var programId = instruction.TryGetProperty("programId", out var p) && p.ValueKind == JsonValueKind.String ? p.GetString() : null;
        return programId is null
            ? throw new SplTransactionFormatException(signature, $"{where} lacks a programId")
            : new SplParsedInstruction(instruction, programId, position, subPosition, where);
    }

    private static string ReadSignature(JsonElement reply)
    {
        if (reply.ValueKind != JsonValueKind.Object)
        {
            throw new SplTransactionFormatException("(unknown)", $"reply is a JSON {reply.ValueKind}, not a transaction object");
        }

        if (reply.TryGetProperty("transaction", out var transaction) && transaction.ValueKind == JsonValueKind.Object
            && transaction.TryGetProperty("signatures", out var signatures) && signatures.ValueKind == JsonValueKind.Array
            && signatures.GetArrayLength() > 0 && signatures[0].ValueKind == JsonValueKind.String
            && signatures[0].GetString() is { Length: > 0 } signature)
        {
            return signature;
        }

        throw new SplTransactionFormatException("(unknown)", "transaction.signatures[0] is missing; the event key needs the signature");
    }
}
