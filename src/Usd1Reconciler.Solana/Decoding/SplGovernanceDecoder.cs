using System.Globalization;
using System.Text.Json;
using Usd1Reconciler.Solana.Rpc;

namespace Usd1Reconciler.Solana.Decoding;

/// <summary>
/// Turns a jsonParsed getTransaction reply into the privileged actions on one mint. Pure: no I/O, no clock. Reads the
/// same transactions, instructions (top-level and inner) and finality as <see cref="SplSupplyDecoder"/>.
/// <para>
/// Cases, for the Token and Token-2022 programs (decided by programId), as agave's parse_token.rs renders them:
/// setAuthority of a mint-owned authority type (<c>info.mint</c>, <c>authorityType</c>, <c>newAuthority</c> — null for
/// none — and <c>authority</c> or <c>multisigAuthority</c> + <c>signers</c>; account-owned types show <c>info.account</c>
/// and are not the mint's governance); initializeMint/initializeMint2 (the first mint and freeze authorities; the freeze
/// authority is absent for none); the Token-2022 initialisers initializeMintCloseAuthority (<c>newAuthority</c>),
/// initializePermanentDelegate (<c>delegate</c>), initializeMetadataPointer and initializePausableConfig
/// (<c>authority</c>, absent or null for none); freezeAccount/thawAccount (<c>freezeAuthority</c> or
/// <c>multisigFreezeAuthority</c>); initializeMultisig/initializeMultisig2 (<c>multisig</c>, <c>m</c>, <c>signers</c>);
/// pause/resume; initializeTokenMetadata (<c>updateAuthority</c>) and updateTokenMetadataAuthority (<c>newAuthority</c>,
/// null for none, signed by <c>updateAuthority</c>) of metadata kept in the mint. Any other instruction type, known or not, is no governance change and is passed over; an unparsed
/// token instruction naming the mint with a privileged discriminator becomes <see cref="SplGovernanceChangeKind.Unparsed"/>
/// (supply indexing is never stopped by it). A failed transaction changed nothing.
/// </para>
/// </summary>
public static class SplGovernanceDecoder
{
    /// <summary>
    /// First data bytes of the token instructions that change who controls the mint: initializeMint (0),
    /// setAuthority (6), freezeAccount (10), thawAccount (11), initializeMint2 (20), initializeMintCloseAuthority (25),
    /// transfer-fee (26), interest-bearing (33), initializePermanentDelegate (35), transfer-hook (36), metadata pointer
    /// (39), group pointer (40), group member pointer (41), scaled UI amount (43), pausable (44); and the first byte of
    /// the token-metadata interface's 8-byte discriminators for Initialize (0xd2, of sha256
    /// "spl_token_metadata_interface:initialize_account") and UpdateAuthority (0xd7, "…:update_the_authority"), which
    /// no token instruction tag reaches.
    /// </summary>
    private static readonly byte[] PrivilegedDiscriminators = [0, 6, 10, 11, 20, 25, 26, 33, 35, 36, 39, 40, 41, 43, 44, 0xd2, 0xd7];

    public static IReadOnlyList<SplGovernanceChange> Decode(JsonElement reply, string mint)
    {
        ArgumentException.ThrowIfNullOrEmpty(mint);
        var transaction = SplParsedTransaction.Read(reply);
        var changes = new List<SplGovernanceChange>();
        foreach (var instruction in transaction.Instructions)
        {
            if (instruction.IsTokenProgram)
            {
                DecodeInstruction(transaction, instruction, mint, changes);
            }
        }

        return changes;
    }

    private static void DecodeInstruction(SplParsedTransaction tx, SplParsedInstruction instruction, string mint, List<SplGovernanceChange> changes)
    {
        if (!instruction.Element.TryGetProperty("parsed", out var parsed))
        {
            NoteUnparsed(tx, instruction, mint, changes);
            return;
        }

        if (parsed.ValueKind != JsonValueKind.Object
            || !parsed.TryGetProperty("type", out var t) || t.ValueKind != JsonValueKind.String
            || !parsed.TryGetProperty("info", out var info) || info.ValueKind != JsonValueKind.Object)
        {
            return;
        }

        var type = t.GetString()!;
        var where = $"{instruction.Where} ({type})";
        var add = (SplGovernanceChangeKind kind, string subject, string? value, string? actor, IReadOnlyList<string> signers) =>
            changes.Add(new SplGovernanceChange(kind, tx.Slot, tx.Signature, instruction.Position, instruction.SubPosition, subject, value, actor, signers, tx.BlockTime));
        switch (type)
        {
            case "setAuthority":
            {
                // Account-owned authority types (accountOwner, closeAccount) name info.account instead of info.mint.
                if (!info.TryGetProperty("mint", out _) || !IsMint(info, mint, where, tx))
                {
                    return;
                }

                var authorityType = RequireString(info, "authorityType", where, tx);
                if (!info.TryGetProperty("newAuthority", out var newAuthority)
                    || newAuthority.ValueKind is not (JsonValueKind.String or JsonValueKind.Null))
                {
                    throw tx.Fail($"{where} lacks info.newAuthority (an address, or null for none)");
                }

                var (actor, signers) = Signer(info, "authority", "multisigAuthority", where, tx);
                add(SplGovernanceChangeKind.AuthoritySet, authorityType, newAuthority.GetString(), actor, signers);
                return;
            }

            case "initializeMint" or "initializeMint2":
                if (IsMint(info, mint, where, tx))
                {
                    add(SplGovernanceChangeKind.AuthoritySet, SplAuthorityTypes.MintTokens, RequireString(info, "mintAuthority", where, tx), null, []);
                    changes.Add(new SplGovernanceChange(
                        SplGovernanceChangeKind.AuthoritySet, tx.Slot, tx.Signature, instruction.Position, SecondFactSubPosition(instruction.SubPosition),
                        SplAuthorityTypes.FreezeAccount, OptionalString(info, "freezeAuthority", where, tx), null, [], tx.BlockTime));
                }

                return;

            case "initializeMintCloseAuthority":
                AddInitialiser(info, SplAuthorityTypes.CloseMint, "newAuthority");
                return;

            case "initializePermanentDelegate":
                AddInitialiser(info, SplAuthorityTypes.PermanentDelegate, "delegate");
                return;

            case "initializeMetadataPointer":
                AddInitialiser(info, SplAuthorityTypes.MetadataPointer, "authority");
                return;

            case "initializePausableConfig":
                AddInitialiser(info, SplAuthorityTypes.Pause, "authority");
                return;

            case "freezeAccount" or "thawAccount":
                if (IsMint(info, mint, where, tx))
                {
                    var (actor, signers) = Signer(info, "freezeAuthority", "multisigFreezeAuthority", where, tx);
                    var kind = type == "freezeAccount" ? SplGovernanceChangeKind.AccountFrozen : SplGovernanceChangeKind.AccountThawed;
                    add(kind, RequireString(info, "account", where, tx), null, actor, signers);
                }

                return;

            case "pause" or "resume":
                if (IsMint(info, mint, where, tx))
                {
                    var (actor, signers) = Signer(info, "authority", "multisigAuthority", where, tx);
                    add(type == "pause" ? SplGovernanceChangeKind.Paused : SplGovernanceChangeKind.Resumed, mint, null, actor, signers);
                }

                return;

            // The token-metadata interface (agave parse_token/extension/token_metadata.rs) names the metadata account,
            // not a mint field, on updates: Token-2022 keeps a mint's metadata in the mint itself, so metadata == mint
            // is this mint's; metadata elsewhere (a pointer to another account or program) is not its governance.
            case "initializeTokenMetadata":
                if (IsMint(info, mint, where, tx) && string.Equals(RequireString(info, "metadata", where, tx), mint, StringComparison.Ordinal))
                {
                    add(SplGovernanceChangeKind.AuthoritySet, SplAuthorityTypes.TokenMetadataUpdateAuthority, RequireString(info, "updateAuthority", where, tx),
                        OptionalString(info, "mintAuthority", where, tx), []);
                }

                return;

            case "updateTokenMetadataAuthority":
                if (string.Equals(RequireString(info, "metadata", where, tx), mint, StringComparison.Ordinal))
                {
                    if (!info.TryGetProperty("newAuthority", out var next) || next.ValueKind is not (JsonValueKind.String or JsonValueKind.Null))
                    {
                        throw tx.Fail($"{where} lacks info.newAuthority (an address, or null for none)");
                    }

                    add(SplGovernanceChangeKind.AuthoritySet, SplAuthorityTypes.TokenMetadataUpdateAuthority, next.GetString(),
                        OptionalString(info, "updateAuthority", where, tx), []);
                }

                return;

            case "initializeMultisig" or "initializeMultisig2":
            {
                var multisig = RequireString(info, "multisig", where, tx);
                var members = Strings(info, "signers", where, tx);
                if (!info.TryGetProperty("m", out var m) || m.ValueKind != JsonValueKind.Number || !m.TryGetInt32(out var required))
                {
                    throw tx.Fail($"{where} lacks info.m, the number of required signers");
                }

                add(SplGovernanceChangeKind.MultisigInitialized, multisig,
                    string.Create(CultureInfo.InvariantCulture, $"{required}-of-{members.Count}: {string.Join(',', members)}"), null, []);
                return;
            }

            default:
                return;
        }

        void AddInitialiser(JsonElement initInfo, string authorityType, string field)
        {
            if (IsMint(initInfo, mint, where, tx))
            {
                add(SplGovernanceChangeKind.AuthoritySet, authorityType, OptionalString(initInfo, field, where, tx), null, []);
            }
        }
    }

    /// <summary>
    /// A node leaves a token instruction unparsed when its parser does not know it (a newer extension, malformed data).
    /// When it names the mint and starts with a privileged discriminator it may have changed an authority: recorded,
    /// so the log shows it and the governance proof settles what the authorities are now.
    /// </summary>
    private static void NoteUnparsed(SplParsedTransaction tx, SplParsedInstruction instruction, string mint, List<SplGovernanceChange> changes)
    {
        var element = instruction.Element;
        if (!element.TryGetProperty("data", out var data) || data.ValueKind != JsonValueKind.String
            || !Base58Text.TryDecode(data.GetString()!, out var bytes) || bytes.Length == 0
            || !PrivilegedDiscriminators.Contains(bytes[0]))
        {
            return;
        }

        var mentionsMint = element.TryGetProperty("accounts", out var accounts) && accounts.ValueKind == JsonValueKind.Array
            && accounts.EnumerateArray().Any(a => a.ValueKind == JsonValueKind.String && a.GetString() == mint);
        if (mentionsMint)
        {
            changes.Add(new SplGovernanceChange(
                SplGovernanceChangeKind.Unparsed, tx.Slot, tx.Signature, instruction.Position, instruction.SubPosition,
                string.Create(CultureInfo.InvariantCulture, $"discriminator {bytes[0]}"), null, null, [], tx.BlockTime));
        }
    }

    /// <summary>
    /// The key of a second fact of one instruction (initializeMint's freeze authority beside its mint authority). A
    /// change is keyed by (signature, position, sub-position) and sub-positions of real instructions are −1 (top-level)
    /// or ≥ 0 (inner), so −3 − sub (−2 for a top-level instruction, −3 − k for inner instruction k) is unique and never
    /// a real one. Folding in key order applies it before its instruction's first fact, which is harmless: the two set
    /// different authorities, and nothing on the mint can precede its initialisation.
    /// </summary>
    public static int SecondFactSubPosition(int subPosition) => -3 - subPosition;

    private static bool IsMint(JsonElement info, string mint, string where, SplParsedTransaction tx) =>
        string.Equals(RequireString(info, "mint", where, tx), mint, StringComparison.Ordinal);

    /// <summary>agave's parse_signers: a single authority under <paramref name="single"/>, or a multisig under <paramref name="multisig"/> with <c>signers</c>.</summary>
    private static (string? Actor, IReadOnlyList<string> Signers) Signer(JsonElement info, string single, string multisig, string where, SplParsedTransaction tx)
    {
        if (OptionalString(info, multisig, where, tx) is { } account)
        {
            return (account, Strings(info, "signers", where, tx));
        }

        return (OptionalString(info, single, where, tx), []);
    }

    private static List<string> Strings(JsonElement info, string name, string where, SplParsedTransaction tx)
    {
        if (!info.TryGetProperty(name, out var array) || array.ValueKind != JsonValueKind.Array
            || array.EnumerateArray().Any(e => e.ValueKind != JsonValueKind.String))
        {
            throw tx.Fail($"{where} lacks info.{name}, an array of addresses");
        }

        return array.EnumerateArray().Select(e => e.GetString()!).ToList();
    }

    private static string RequireString(JsonElement info, string name, string where, SplParsedTransaction tx) =>
        info.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String && value.GetString() is { Length: > 0 } text
            ? text
            : throw tx.Fail($"{where} lacks info.{name}");

    private static string? OptionalString(JsonElement info, string name, string where, SplParsedTransaction tx)
    {
        if (!info.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        return value.ValueKind == JsonValueKind.String ? value.GetString() : throw tx.Fail($"{where}: info.{name} is {SolanaRpcClient.Describe(value)}, not an address");
    }
}
