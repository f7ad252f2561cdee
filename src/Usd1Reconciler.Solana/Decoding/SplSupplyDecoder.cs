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
        var transaction = SplParsedTransaction.Read(reply);
        var context = new Context(transaction.Signature, mint, transaction.Slot, transaction.BlockTime);
        var events = new List<SupplyEvent>();
        foreach (var instruction in transaction.Instructions)
        {
            DecodeInstruction(instruction, context, events);
        }

        return events;
    }

    private static void DecodeInstruction(SplParsedInstruction parsedInstruction, Context context, List<SupplyEvent> events)
    {
        if (!parsedInstruction.IsTokenProgram)
        {
            return;
        }

        var (instruction, position, subPosition, where) = (parsedInstruction.Element, parsedInstruction.Position, parsedInstruction.SubPosition, parsedInstruction.Where);
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
