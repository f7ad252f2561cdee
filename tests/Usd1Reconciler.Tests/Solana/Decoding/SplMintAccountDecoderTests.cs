using System.Text.Json;
using Usd1Reconciler.Solana.Decoding;
using static Usd1Reconciler.Tests.Solana.GovernanceReplies;

namespace Usd1Reconciler.Tests.Solana.Decoding;

public sealed class SplMintAccountDecoderTests
{
    [Test]
    public void Decode_Token2022MintWithExtensions_ReadsBaseAndExtensionAuthorities()
    {
        var read = SplMintAccountDecoder.Decode(447552011, Value("mint-account-2022-extensions"), Mint);

        Assert.Multiple(() =>
        {
            Assert.That(read.Program, Is.EqualTo("spl-token-2022"));
            Assert.That(read.Slot, Is.EqualTo(447552011));
            Assert.That(read.Authorities, Is.EquivalentTo(new Dictionary<string, string?>
            {
                ["mintTokens"] = UnknownKey,
                ["freezeAccount"] = FreezeAuthority,
                ["closeMint"] = null,
                ["permanentDelegate"] = PermanentDelegate,
                ["metadataPointer"] = MetadataPointerAuthority,
            }), "closeMint is present and null (the extension exists, its authority was removed); pause is absent (no extension)");
            Assert.That(read.UnreadExtensions, Is.Empty);
            Assert.That(read.Paused, Is.Null, "no pausable extension");
        });
    }

    [Test]
    public void Decode_TokenProgramMint_ReadsMintAndFreezeAuthorityOnly()
    {
        var read = SplMintAccountDecoder.Decode(447552016, Value("mint-account-token"), RecordedReplies.OtherMint);

        Assert.That(read.Authorities, Is.EquivalentTo(new Dictionary<string, string?>
        {
            ["mintTokens"] = TokenProgramMintAuthority,
            ["freezeAccount"] = TokenProgramFreezeAuthority,
        }), "a Token-program mint has no extensions: only the two base authorities");
        Assert.That(read.Program, Is.EqualTo("spl-token"));
    }

    [Test]
    public void Decode_UnparseableAndPausableExtensions_ListsUnreadAndReadsPausedFlag()
    {
        var edited = Value("mint-account-2022-extensions", t => t.Replace(
            "\"extension\": \"mintCloseAuthority\"",
            "\"extension\": \"pausableConfig\", \"state\": {\"authority\": \"" + CloseAuthority + "\", \"paused\": true}}, {\"extension\": \"unparseableExtension\"}, {\"extension\": \"mintCloseAuthority\"",
            StringComparison.Ordinal));

        var read = SplMintAccountDecoder.Decode(1, edited, Mint);

        Assert.Multiple(() =>
        {
            Assert.That(read.Authorities["pause"], Is.EqualTo(CloseAuthority));
            Assert.That(read.Paused, Is.True);
            Assert.That(read.UnreadExtensions, Is.EqualTo(new[] { "unparseableExtension" }), "an extension the node could not decode may hide an authority: it is reported, not ignored");
        });
    }

    [Test]
    public void Decode_TokenMetadataExtension_ReadsItsUpdateAuthority()
    {
        // agave's UiTokenMetadata: {updateAuthority (null for none), mint, name, symbol, uri, additionalMetadata}.
        var edited = Value("mint-account-2022-extensions", t => t.Replace(
            "\"extension\": \"mintCloseAuthority\"",
            "\"extension\": \"tokenMetadata\", \"state\": {\"updateAuthority\": \"" + UnknownKey + "\", \"mint\": \"" + Mint
            + "\", \"name\": \"USD1\", \"symbol\": \"USD1\", \"uri\": \"https://example.com/usd1.json\", \"additionalMetadata\": [[\"issuer\", \"x\"]]}}, {\"extension\": \"mintCloseAuthority\"",
            StringComparison.Ordinal));

        var read = SplMintAccountDecoder.Decode(1, edited, Mint);

        Assert.That(read.Authorities[SplAuthorityTypes.TokenMetadataUpdateAuthority], Is.EqualTo(UnknownKey));
        Assert.That(read.UnreadExtensions, Is.Empty, "token metadata is read, not reported as an extension the node could not decode");
    }

    [TestCase("\"type\": \"mint\"", "\"type\": \"account\"", "not {type: \"mint\"", TestName = "Decode_NotAMint_ThrowsSayingSo")]
    [TestCase("\"freezeAuthority\": \"GQTT", "\"freezeAuthorty\": \"GQTT", "lacks 'freezeAuthority'", TestName = "Decode_FreezeAuthorityMissing_ThrowsNamingIt")]
    [TestCase("\"delegate\": \"FsZr", "\"delegate\": 7, \"x\": \"FsZr", "'delegate' is the number 7", TestName = "Decode_ExtensionAuthorityNotAnAddress_ThrowsNamingIt")]
    [TestCase("\"owner\": \"TokenzQdBNbLqP5VEhdkAS6EPFLC1PHnBqCXEpPxuEb\"", "\"owner\": \"11111111111111111111111111111111\"", "not owned by the Token", TestName = "Decode_NotATokenProgramAccount_ThrowsSayingSo")]
    public void Decode_MalformedAccount_ThrowsFormatExceptionNamingTheProblem(string from, string to, string expected)
    {
        var value = Value("mint-account-2022-extensions", t => t.Replace(from, to, StringComparison.Ordinal));

        var ex = Assert.Throws<FormatException>(() => SplMintAccountDecoder.Decode(1, value, Mint));
        Assert.That(ex!.Message, Does.Contain(expected).And.Contain(Mint));
    }

    private static JsonElement Value(string name, Func<string, string>? edit = null) => RecordedReplies.Result(name, edit).GetProperty("value");
}
