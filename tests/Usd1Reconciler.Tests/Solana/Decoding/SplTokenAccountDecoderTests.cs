using System.Text.Json;
using Usd1Reconciler.Solana.Decoding;
using static Usd1Reconciler.Tests.Solana.GovernanceReplies;

namespace Usd1Reconciler.Tests.Solana.Decoding;

/// <summary>
/// get-multiple-accounts-token.json: a getMultipleAccounts jsonParsed reply in agave's shape (account-decoder
/// parse_token.rs: UiTokenAccount with UiAccountState in camelCase) holding a frozen account of the mint, an
/// initialized one, a frozen account of another mint, and null for an account that does not exist.
/// </summary>
public sealed class SplTokenAccountDecoderTests
{
    private static JsonElement? Account(int index, Func<string, string>? edit = null)
    {
        var value = RecordedReplies.Result("get-multiple-accounts-token", edit).GetProperty("value")[index];
        return value.ValueKind == JsonValueKind.Null ? null : value;
    }

    [Test]
    public void IsFrozen_FrozenAccountOfTheMint_True() =>
        Assert.That(SplTokenAccountDecoder.IsFrozen(Account(0), TokenAccount, Mint), Is.True);

    [Test]
    public void IsFrozen_InitializedAccountOfTheMint_False() =>
        Assert.That(SplTokenAccountDecoder.IsFrozen(Account(1), RecordedReplies.TokenAccount, Mint), Is.False);

    [Test]
    public void IsFrozen_FrozenAccountOfAnotherMint_FalseForThisMint() =>
        Assert.That(SplTokenAccountDecoder.IsFrozen(Account(2), MetadataPointerAuthority, Mint), Is.False, "frozen by another mint's freeze authority: not this mint's fact");

    [Test]
    public void IsFrozen_NoAccount_False() =>
        Assert.That(SplTokenAccountDecoder.IsFrozen(Account(3), UnknownKey, Mint), Is.False, "a closed account is not frozen (a frozen one cannot be closed)");

    [TestCase("\"state\": \"frozen\"", "\"state\": \"uninitialized\"", "'uninitialized'", TestName = "IsFrozen_UnknownState_ThrowsNamingIt")]
    [TestCase("\"state\": \"frozen\"", "\"stat\": \"frozen\"", "lacks a string 'state'", TestName = "IsFrozen_StateMissing_ThrowsSayingSo")]
    [TestCase("\"type\": \"account\"", "\"type\": \"mint\"", "not a jsonParsed {type: \"account\"", TestName = "IsFrozen_NotATokenAccount_ThrowsSayingSo")]
    public void IsFrozen_Malformed_ThrowsFormatExceptionNamingTheAccount(string from, string to, string expected)
    {
        var value = Account(0, t => ReplaceFirst(t, from, to));

        var ex = Assert.Throws<FormatException>(() => SplTokenAccountDecoder.IsFrozen(value, TokenAccount, Mint));
        Assert.That(ex!.Message, Does.Contain(expected).And.Contain(TokenAccount));
    }

    private static string ReplaceFirst(string text, string from, string to)
    {
        var at = text.IndexOf(from, StringComparison.Ordinal);
        return at < 0 ? text : string.Concat(text.AsSpan(0, at), to, text.AsSpan(at + from.Length));
    }
}
