using System.Text.Json;
using Usd1Reconciler.Solana.Rpc;

namespace Usd1Reconciler.Solana.Decoding;

/// <summary>
/// Reads a mint's authorities from a getAccountInfo jsonParsed value, as agave's account-decoder renders a mint:
/// <c>data: {program, parsed: {type: "mint", info: {mintAuthority, supply, decimals, isInitialized, freezeAuthority,
/// extensions?}}, space}</c>, where each extension is <c>{extension, state?}</c> (serde's adjacently tagged
/// <c>UiExtension</c>; unit variants carry no state). Pure: no I/O.
/// </summary>
public static class SplMintAccountDecoder
{
    /// <summary>Extensions without an authority (their state, if any, is not read).</summary>
    private static readonly HashSet<string> ExtensionsWithoutAuthority = new(StringComparer.Ordinal)
    {
        "uninitialized", "nonTransferable", "defaultAccountState", "tokenGroup", "tokenGroupMember",
        "confidentialMintBurn",
    };

    /// <param name="value">The reply's <c>value</c> (null when the account does not exist: the caller's case).</param>
    /// <exception cref="FormatException">The value is not a jsonParsed mint of a token program; the message names what is wrong.</exception>
    public static SplMintAuthorities Decode(long slot, JsonElement value, string mint)
    {
        ArgumentException.ThrowIfNullOrEmpty(mint);
        var where = $"getAccountInfo {mint}";
        if (value.ValueKind != JsonValueKind.Object)
        {
            throw new FormatException($"{where}: value is {SolanaRpcClient.Describe(value)}, not an account object");
        }

        if (!value.TryGetProperty("owner", out var owner) || !SplTokenPrograms.IsTokenProgram(owner.ValueKind == JsonValueKind.String ? owner.GetString() : null))
        {
            throw new FormatException($"{where}: the account is not owned by the Token or Token-2022 program, so it is no SPL mint");
        }

        if (!value.TryGetProperty("data", out var data) || data.ValueKind != JsonValueKind.Object)
        {
            // Base64 data (an array) means the node could not parse the account: it is no mint it knows.
            throw new FormatException($"{where}: data is {(value.TryGetProperty("data", out var d) ? SolanaRpcClient.Describe(d) : "missing")}, not a jsonParsed object; the node did not decode the mint");
        }

        var program = data.TryGetProperty("program", out var p) && p.ValueKind == JsonValueKind.String ? p.GetString()! : string.Empty;
        if (!data.TryGetProperty("parsed", out var parsed) || parsed.ValueKind != JsonValueKind.Object
            || !parsed.TryGetProperty("type", out var type) || type.ValueKind != JsonValueKind.String || type.GetString() != "mint"
            || !parsed.TryGetProperty("info", out var info) || info.ValueKind != JsonValueKind.Object)
        {
            throw new FormatException($"{where}: data.parsed is not {{type: \"mint\", info: {{…}}}}; the address is not a mint");
        }

        var authorities = new Dictionary<string, string?>(StringComparer.Ordinal)
        {
            [SplAuthorityTypes.MintTokens] = Address(info, "mintAuthority", where, required: true),
            [SplAuthorityTypes.FreezeAccount] = Address(info, "freezeAuthority", where, required: true),
        };
        var unread = new List<string>();
        bool? paused = null;
        if (info.TryGetProperty("extensions", out var extensions))
        {
            if (extensions.ValueKind != JsonValueKind.Array)
            {
                throw new FormatException($"{where}: info.extensions is {SolanaRpcClient.Describe(extensions)}, not an array");
            }

            foreach (var extension in extensions.EnumerateArray())
            {
                var name = extension.ValueKind == JsonValueKind.Object && extension.TryGetProperty("extension", out var n) && n.ValueKind == JsonValueKind.String
                    ? n.GetString()!
                    : throw new FormatException($"{where}: an entry of info.extensions lacks its 'extension' tag");
                var fields = SplAuthorityTypes.ExtensionAuthorities.Where(a => a.Extension == name).ToList();
                if (fields.Count == 0)
                {
                    if (!ExtensionsWithoutAuthority.Contains(name))
                    {
                        unread.Add(name);
                    }

                    continue;
                }

                if (!extension.TryGetProperty("state", out var state) || state.ValueKind != JsonValueKind.Object)
                {
                    throw new FormatException($"{where}: extension {name} has no state object");
                }

                foreach (var (_, field, authorityType) in fields)
                {
                    authorities[authorityType] = Address(state, field, $"{where} extension {name}", required: true);
                }

                if (name == "pausableConfig")
                {
                    paused = state.TryGetProperty("paused", out var flag) && flag.ValueKind is JsonValueKind.True or JsonValueKind.False
                        ? flag.GetBoolean()
                        : throw new FormatException($"{where}: extension pausableConfig lacks a boolean 'paused'");
                }
            }
        }

        return new SplMintAuthorities(slot, program, authorities, unread, paused);
    }

    /// <summary>agave writes an absent authority (COption::None / an all-zero OptionalNonZeroPubkey) as null, never omits it.</summary>
    private static string? Address(JsonElement obj, string name, string where, bool required)
    {
        if (!obj.TryGetProperty(name, out var value))
        {
            return required ? throw new FormatException($"{where}: lacks '{name}'") : null;
        }

        return value.ValueKind switch
        {
            JsonValueKind.Null => null,
            JsonValueKind.String when Base58Text.IsValid(value.GetString()!) && value.GetString()!.Length is >= 32 and <= 44 => value.GetString(),
            _ => throw new FormatException($"{where}: '{name}' is {SolanaRpcClient.Describe(value)}, not an address or null"),
        };
    }
}
