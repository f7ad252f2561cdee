using System.Text.Json;
using Usd1Reconciler.Solana.Rpc;

namespace Usd1Reconciler.Solana.Decoding;

/// <summary>
/// Reads whether a token account is frozen from a getAccountInfo/getMultipleAccounts jsonParsed value, as agave's
/// account-decoder renders a token account: <c>data: {program, parsed: {type: "account", info: {mint, owner,
/// tokenAmount, state, isNative, …}}, space}</c>, with <c>state</c> one of UiAccountState's camelCase names
/// (<c>initialized</c>, <c>frozen</c>; an uninitialized account is not parsed at all). Pure: no I/O.
/// </summary>
public static class SplTokenAccountDecoder
{
    /// <summary>
    /// Whether <paramref name="account"/> is a frozen token account of <paramref name="mint"/>. Cases: no account
    /// (null: closed — a frozen account cannot be closed, so it is not frozen); an account of another mint (the address
    /// was closed and reused: not frozen for this mint); otherwise its state.
    /// </summary>
    /// <exception cref="FormatException">The value is not a jsonParsed token account, or its state is none the decoder knows; the message names the account.</exception>
    public static bool IsFrozen(JsonElement? value, string account, string mint)
    {
        ArgumentException.ThrowIfNullOrEmpty(account);
        ArgumentException.ThrowIfNullOrEmpty(mint);
        if (value is not { } v)
        {
            return false;
        }

        var where = $"token account {account}";
        if (v.ValueKind != JsonValueKind.Object)
        {
            throw new FormatException($"{where}: value is {SolanaRpcClient.Describe(v)}, not an account object");
        }

        if (!v.TryGetProperty("owner", out var owner) || !SplTokenPrograms.IsTokenProgram(owner.ValueKind == JsonValueKind.String ? owner.GetString() : null))
        {
            throw new FormatException($"{where}: the account is not owned by the Token or Token-2022 program");
        }

        if (!v.TryGetProperty("data", out var data) || data.ValueKind != JsonValueKind.Object
            || !data.TryGetProperty("parsed", out var parsed) || parsed.ValueKind != JsonValueKind.Object
            || !parsed.TryGetProperty("type", out var type) || type.ValueKind != JsonValueKind.String || type.GetString() != "account"
            || !parsed.TryGetProperty("info", out var info) || info.ValueKind != JsonValueKind.Object)
        {
            throw new FormatException($"{where}: data is not a jsonParsed {{type: \"account\", info: {{…}}}}; the node did not decode it as a token account");
        }

        if (!info.TryGetProperty("mint", out var accountMint) || accountMint.ValueKind != JsonValueKind.String)
        {
            throw new FormatException($"{where}: info lacks 'mint'");
        }

        if (!string.Equals(accountMint.GetString(), mint, StringComparison.Ordinal))
        {
            return false;
        }

        return info.TryGetProperty("state", out var state) && state.ValueKind == JsonValueKind.String
            ? state.GetString() switch
            {
                "frozen" => true,
                "initialized" => false,
                var other => throw new FormatException($"{where}: info.state is '{other}', neither initialized nor frozen"),
            }
            : throw new FormatException($"{where}: info lacks a string 'state'");
    }
}
