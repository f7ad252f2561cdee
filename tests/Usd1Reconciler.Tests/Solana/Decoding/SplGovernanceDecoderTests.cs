using Usd1Reconciler.Core.Supply;
using Usd1Reconciler.Solana.Decoding;
using static Usd1Reconciler.Tests.Solana.GovernanceReplies;

namespace Usd1Reconciler.Tests.Solana.Decoding;

public sealed class SplGovernanceDecoderTests
{
    [Test]
    public void Decode_MintSetup_YieldsInitialMintFreezeAndExtensionAuthorities()
    {
        var changes = SplGovernanceDecoder.Decode(RecordedReplies.Result("gov-setup-extensions"), Mint);

        // Order is execution order: the extension initialisers precede initializeMint2, as Token-2022 requires.
        Assert.That(changes.Select(c => (c.Kind, c.Subject, c.NewValue)), Is.EqualTo(new[]
        {
            (SplGovernanceChangeKind.AuthoritySet, "closeMint", (string?)CloseAuthority),
            (SplGovernanceChangeKind.AuthoritySet, "permanentDelegate", PermanentDelegate),
            (SplGovernanceChangeKind.AuthoritySet, "metadataPointer", MetadataPointerAuthority),
            (SplGovernanceChangeKind.AuthoritySet, "mintTokens", FirstMintAuthority),
            (SplGovernanceChangeKind.AuthoritySet, "freezeAccount", FreezeAuthority),
        }), "every authority the mint starts with, from the setup transaction's initialisers; createAccount and initializeAccount3 are no governance");
        Assert.Multiple(() =>
        {
            Assert.That(changes.All(c => c.Actor is null), "initialisers need no authority's signature");
            Assert.That(changes.Select(c => c.Position), Is.EqualTo(new[] { 1, 2, 3, 4, 4 }), "each change is keyed by its instruction's index");
            Assert.That(changes.Select(c => c.SubPosition), Is.EqualTo(new[] { -1, -1, -1, -1, -2 }),
                "top-level instructions; initializeMint2's freeze authority is its second fact, under a key no real instruction has");
            Assert.That(changes.Select(c => (c.Position, c.SubPosition)).Distinct().Count(), Is.EqualTo(changes.Count), "every change has its own key, or the store would refuse the batch");
        });
    }

    [Test]
    public void Decode_SetAuthorityByMultisig_YieldsNewAuthorityActorAndSigners()
    {
        var changes = SplGovernanceDecoder.Decode(RecordedReplies.Result("gov-set-authority-multisig"), Mint);

        Assert.That(changes, Has.Count.EqualTo(1));
        var c = changes[0];
        Assert.Multiple(() =>
        {
            Assert.That(c.Kind, Is.EqualTo(SplGovernanceChangeKind.AuthoritySet));
            Assert.That(c.Subject, Is.EqualTo("mintTokens"), "authorityType is the subject");
            Assert.That(c.NewValue, Is.EqualTo(UnknownKey));
            Assert.That(c.Actor, Is.EqualTo(Multisig), "with a multisig authority the multisig account is the actor, as for mints");
            Assert.That(c.Signers, Is.EqualTo(MultisigSigners.Take(2)), "the two signers that signed for the 2-of-3");
            Assert.That(c.Signature, Is.EqualTo(SetByMultisigSignature));
            Assert.That(c.Slot, Is.EqualTo(SetByMultisigSlot));
            Assert.That(c.BlockTime, Is.Not.Null);
        });
    }

    [Test]
    public void Decode_FreezeAccount_YieldsFrozenTokenAccountWithFreezeAuthority()
    {
        var c = SplGovernanceDecoder.Decode(RecordedReplies.Result("gov-freeze"), Mint).Single();

        Assert.Multiple(() =>
        {
            Assert.That(c.Kind, Is.EqualTo(SplGovernanceChangeKind.AccountFrozen));
            Assert.That(c.Subject, Is.EqualTo(TokenAccount), "the frozen token account is the subject");
            Assert.That(c.Actor, Is.EqualTo(FreezeAuthority));
        });
    }

    [Test]
    public void Decode_InitializeMultisig_RecordsThresholdAndSigners()
    {
        var c = SplGovernanceDecoder.Decode(RecordedReplies.Result("gov-initialize-multisig"), Mint).Single();

        Assert.Multiple(() =>
        {
            Assert.That(c.Kind, Is.EqualTo(SplGovernanceChangeKind.MultisigInitialized));
            Assert.That(c.Subject, Is.EqualTo(Multisig));
            Assert.That(c.NewValue, Is.EqualTo($"2-of-3: {string.Join(',', MultisigSigners)}"));
            Assert.That(c.Position, Is.EqualTo(1), "createAccount is instruction 0");
        });
    }

    [Test]
    public void Decode_InnerInstructions_YieldsCpiChangesSkipsUnknownAndAccountOwnedAndNotesUnparsed()
    {
        var changes = SplGovernanceDecoder.Decode(RecordedReplies.Result("gov-inner"), Mint);

        Assert.That(changes.Select(c => (c.Kind, c.Subject, c.Position, c.SubPosition)), Is.EqualTo(new[]
        {
            (SplGovernanceChangeKind.AuthoritySet, "closeMint", 0, 0),
            (SplGovernanceChangeKind.AccountThawed, TokenAccount, 0, 1),
            (SplGovernanceChangeKind.Unparsed, "discriminator 6", 0, 4),
        }), "the issuer program's CPIs: setAuthority and thawAccount decoded; someFutureInstruction (2) and the token account's accountOwner change (3) are not the mint's governance; the unparsed setAuthority naming the mint is noted; the mintTo (5) is supply");
        Assert.Multiple(() =>
        {
            Assert.That(changes[0].NewValue, Is.Null, "newAuthority null: the close authority was removed");
            Assert.That(changes[0].Actor, Is.EqualTo(CloseAuthority));
        });
    }

    [Test]
    public void Decode_InnerInstructionsWithUnknownAndUnparsed_SupplyDecoderStillYieldsTheMint()
    {
        // The same transaction through the supply decoder: the governance instructions, an unknown instruction type and
        // an unparsed privileged one must not stop supply indexing.
        var events = SplSupplyDecoder.Decode(RecordedReplies.Result("gov-inner"), Mint);

        Assert.That(events, Has.Count.EqualTo(1));
        Assert.Multiple(() =>
        {
            Assert.That(events[0].Kind, Is.EqualTo(SupplyEventKind.Mint));
            Assert.That(events[0].Amount.Value, Is.EqualTo(new System.Numerics.BigInteger(7000)));
            Assert.That((events[0].Position, events[0].SubPosition), Is.EqualTo((0, 5)));
        });
    }

    [Test]
    public void Decode_FailedTransaction_YieldsNothing()
    {
        Assert.That(SplGovernanceDecoder.Decode(RecordedReplies.Result("gov-set-authority-failed"), Mint), Is.Empty, "a failed setAuthority changed no authority");
    }

    [Test]
    public void Decode_OtherMint_YieldsNothing()
    {
        Assert.That(SplGovernanceDecoder.Decode(RecordedReplies.Result("gov-set-authority-multisig"), RecordedReplies.OtherMint), Is.Empty, "setAuthority of another mint is not this mint's governance");
    }

    [Test]
    public void Decode_SupplyTransactions_YieldNoGovernanceChange()
    {
        foreach (var name in new[] { "mint-to", "mint-to-checked", "burn-checked", "mint-cpi-inner", "mint-multisig", "token2022-mint" })
        {
            Assert.That(SplGovernanceDecoder.Decode(RecordedReplies.Result(name), RecordedReplies.Mint), Is.Empty, name);
        }
    }

    [Test]
    public void Decode_SetAuthorityWithoutNewAuthority_ThrowsNamingTheField()
    {
        var reply = RecordedReplies.Result("gov-set-authority-multisig", t => t.Replace("\"newAuthority\"", "\"newAuthorty\"", StringComparison.Ordinal));

        var ex = Assert.Throws<SplTransactionFormatException>(() => SplGovernanceDecoder.Decode(reply, Mint));
        Assert.That(ex!.Message, Does.Contain("info.newAuthority").And.Contain(SetByMultisigSignature));
    }

    [Test]
    public void Decode_SetAuthorityWithMultisigButNoSigners_ThrowsNamingTheField()
    {
        var reply = RecordedReplies.Result("gov-set-authority-multisig", t => t.Replace("\"signers\"", "\"signerz\"", StringComparison.Ordinal));

        var ex = Assert.Throws<SplTransactionFormatException>(() => SplGovernanceDecoder.Decode(reply, Mint));
        Assert.That(ex!.Message, Does.Contain("info.signers"));
    }

    /// <summary>gov-freeze.json with its one instruction replaced by a token-metadata instruction as agave's token_metadata.rs renders it.</summary>
    private static System.Text.Json.JsonElement MetadataInstruction(string type, string info) =>
        RecordedReplies.Result("gov-freeze", text =>
        {
            var root = System.Text.Json.Nodes.JsonNode.Parse(text)!;
            root["result"]!["transaction"]!["message"]!["instructions"]![0]!["parsed"] = System.Text.Json.Nodes.JsonNode.Parse($$"""{"info": {{info}}, "type": "{{type}}"}""");
            return root.ToJsonString();
        });

    [Test]
    public void Decode_InitializeTokenMetadataInTheMint_YieldsTheUpdateAuthority()
    {
        var reply = MetadataInstruction("initializeTokenMetadata",
            $$"""{"metadata": "{{Mint}}", "updateAuthority": "{{UnknownKey}}", "mint": "{{Mint}}", "mintAuthority": "{{FirstMintAuthority}}", "name": "USD1", "symbol": "USD1", "uri": "https://example.com"}""");

        var c = SplGovernanceDecoder.Decode(reply, Mint).Single();

        Assert.That((c.Kind, c.Subject, c.NewValue, c.Actor), Is.EqualTo((SplGovernanceChangeKind.AuthoritySet, SplAuthorityTypes.TokenMetadataUpdateAuthority, (string?)UnknownKey, (string?)FirstMintAuthority)));
    }

    [TestCase(true, TestName = "Decode_UpdateTokenMetadataAuthorityToKey_YieldsNewAuthoritySignedByTheOld")]
    [TestCase(false, TestName = "Decode_UpdateTokenMetadataAuthorityToNone_YieldsNone")]
    public void Decode_UpdateTokenMetadataAuthority_YieldsTheChange(bool toKey)
    {
        var newAuthority = toKey ? "\"" + UnknownKey + "\"" : "null";
        var reply = MetadataInstruction("updateTokenMetadataAuthority",
            $$"""{"metadata": "{{Mint}}", "updateAuthority": "{{FreezeAuthority}}", "newAuthority": {{newAuthority}}}""");

        var c = SplGovernanceDecoder.Decode(reply, Mint).Single();

        Assert.That((c.Subject, c.NewValue, c.Actor), Is.EqualTo((SplAuthorityTypes.TokenMetadataUpdateAuthority, toKey ? UnknownKey : null, (string?)FreezeAuthority)));
    }

    [Test]
    public void Decode_UpdateTokenMetadataAuthorityOfOtherMetadata_YieldsNothing()
    {
        var reply = MetadataInstruction("updateTokenMetadataAuthority",
            $$"""{"metadata": "{{RecordedReplies.OtherMint}}", "updateAuthority": "{{FreezeAuthority}}", "newAuthority": "{{UnknownKey}}"}""");

        Assert.That(SplGovernanceDecoder.Decode(reply, Mint), Is.Empty, "metadata kept in another account is not this mint's governance");
    }
}
