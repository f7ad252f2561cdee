using System.Text.Json;
using Usd1Reconciler.Core.Amounts;
using Usd1Reconciler.Core.Supply;
using Usd1Reconciler.Solana.Rpc;

namespace Usd1Reconciler.Solana.Decoding;

/// <summary>
/// Turns a jsonParsed getTransaction reply into the supply events of one mint. Pure: no I/O, no clock.
/// <para>
/// Cases, for the Token and Token-2022 programs (decided by programId, never by the "program" label):
/// mintTo / burn carry <c>info.amount</c>; mintToChecked / burnChecked carry <c>info.tokenAmount.amount</c>; both as
/// u64 decimal strings. The authority is <c>mintAuthority</c> / <c>authority</c>, or for a multisig
/// <c>multisigMintAuthority</c> / <c>multisigAuthority</c> plus <c>signers</c> (the multisig account is the actor).
/// Instructions run by another program through CPI appear in <c>meta.innerInstructions</c> under the index of the
/// top-level instruction that caused them. A failed transaction (<c>meta.err</c> non-null) changed no supply.
/// Versions legacy, 0 and 1 are read alike (<see cref="SolanaTransactionVersions"/>); any other is refused with
/// <see cref="UnsupportedTransactionVersionException"/>.
/// </para>
/// </summary>
public static class SplSupplyDecoder
{
    // Instruction discriminators (first data byte) of the four supply-changing token instructions, used only to
    // recognise one the node left unparsed.
    private static readonly byte[] SupplyDiscriminators = [7, 8, 14, 15];

    private static readonly TokenAmount U64Max = new(ulong.MaxValue);

    public static IReadOnlyList<SupplyEvent> Decode(JsonElement reply, string mint)
    {
        ArgumentException.ThrowIfNullOrEmpty(mint);
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
            return [];
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

        var context = new Context(signature, mint, slot, blockTime);
        var events = new List<SupplyEvent>();
        var outer = 0;
        foreach (var instruction in instructions.EnumerateArray())
        {
            DecodeInstruction(instruction, outer, SupplyEvent.TopLevel, context, events);
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
                DecodeInstruction(instruction, index, position, context, events);
                position++;
            }
        }

        return events;
    }

    private static void DecodeInstruction(JsonElement instruction, int position, int subPosition, Context context, List<SupplyEvent> events)
    {
        var where = subPosition == SupplyEvent.TopLevel ? $"instruction {position}" : $"inner instruction {position}.{subPosition}";
        if (instruction.ValueKind != JsonValueKind.Object)
        {
            throw context.Fail($"{where} is a JSON {instruction.ValueKind}, not an object");
        }

        var programId = instruction.TryGetProperty("programId", out var p) && p.ValueKind == JsonValueKind.String ? p.GetString() : null;
        if (programId is null)
        {
            throw context.Fail($"{where} lacks a programId");
        }

        if (!SplTokenPrograms.IsTokenProgram(programId))
        {
            return;
        }

        if (!instruction.TryGetProperty("parsed", out var parsed))
        {
            RefuseUnparsedSupplyInstruction(instruction, where, context);
            return;
        }

        // The token parser renders a few instructions as a bare string (e.g. Token-2022 extension no-ops).
        if (parsed.ValueKind != JsonValueKind.Object)
        {
            return;
        }

        var type = parsed.TryGetProperty("type", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString() : null;
        var (kind, isChecked) = type switch
        {
            "mintTo" => (SupplyEventKind.Mint, false),
            "mintToChecked" => (SupplyEventKind.Mint, true),
            "burn" => (SupplyEventKind.Burn, false),
            "burnChecked" => (SupplyEventKind.Burn, true),
            _ => ((SupplyEventKind?)null, false),
        };
        if (kind is null)
        {
            return;
        }

        where = $"{where} ({type})";
        if (!parsed.TryGetProperty("info", out var info) || info.ValueKind != JsonValueKind.Object)
        {
            throw context.Fail($"{where} has no parsed 'info' object");
        }

        var instructionMint = RequireString(info, "mint", where, context);
        if (!string.Equals(instructionMint, context.Mint, StringComparison.Ordinal))
        {
            return;
        }

        var holder = RequireString(info, "account", where, context);
        JsonElement amountElement;
        string amountPath;
        if (isChecked)
        {
            if (!info.TryGetProperty("tokenAmount", out var tokenAmount) || tokenAmount.ValueKind != JsonValueKind.Object
                || !tokenAmount.TryGetProperty("amount", out amountElement))
            {
                throw context.Fail($"{where} lacks info.tokenAmount.amount");
            }

            amountPath = "info.tokenAmount.amount";
        }
        else
        {
            if (!info.TryGetProperty("amount", out amountElement))
            {
                throw context.Fail($"{where} lacks info.amount");
            }

            amountPath = "info.amount";
        }

        var amount = ReadU64(amountElement, $"{where} {amountPath}", context);
        var actor = kind == SupplyEventKind.Mint
            ? OptionalString(info, "multisigMintAuthority") ?? OptionalString(info, "mintAuthority")
            : OptionalString(info, "multisigAuthority") ?? OptionalString(info, "authority");

        events.Add(new SupplyEvent(kind.Value, context.Slot, string.Empty, context.Signature, position, subPosition, actor, holder, amount, context.BlockTime));
    }

    /// <summary>
    /// A node leaves an instruction unparsed (programId, accounts, base58 data) when its parser does not know it. If that
    /// instruction is a mint or burn of our mint, skipping it would break the ledger, so it is refused instead.
    /// </summary>
    private static void RefuseUnparsedSupplyInstruction(JsonElement instruction, string where, Context context)
    {
        if (!instruction.TryGetProperty("data", out var data) || data.ValueKind != JsonValueKind.String
            || !Base58Text.TryDecode(data.GetString()!, out var bytes) || bytes.Length == 0
            || !SupplyDiscriminators.Contains(bytes[0]))
        {
            return;
        }

        var mentionsMint = instruction.TryGetProperty("accounts", out var accounts) && accounts.ValueKind == JsonValueKind.Array
            && accounts.EnumerateArray().Any(a => a.ValueKind == JsonValueKind.String && a.GetString() == context.Mint);
        if (mentionsMint)
        {
            throw context.Fail($"{where} is a token-program mint or burn (discriminator {bytes[0]}) of {context.Mint} that the node did not parse");
        }
    }

    private static TokenAmount ReadU64(JsonElement element, string what, Context context)
    {
        if (element.ValueKind != JsonValueKind.String)
        {
            throw context.Fail($"{what} is {SolanaRpcClient.Describe(element)}; a u64 amount must be a decimal string");
        }

        if (!TokenAmount.TryParseDecimal(element.GetString(), out var amount, out var error))
        {
            throw context.Fail($"{what}: {error}");
        }

        return amount <= U64Max ? amount : throw context.Fail($"{what} {amount} exceeds the u64 an SPL token amount is");
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

    private static string RequireString(JsonElement info, string name, string where, Context context) =>
        info.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String && value.GetString() is { Length: > 0 } text
            ? text
            : throw context.Fail($"{where} lacks info.{name}");

    private static string? OptionalString(JsonElement info, string name) =>
        info.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private sealed record Context(string Signature, string Mint, long Slot, DateTimeOffset? BlockTime)
    {
        public SplTransactionFormatException Fail(string message) => new(Signature, message);
    }
}
