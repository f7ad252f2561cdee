using Usd1Reconciler.Core.Amounts;
using Usd1Reconciler.Core.Supply;
using Usd1Reconciler.Solana.Decoding;
using Usd1Reconciler.Solana.Rpc;
using static Usd1Reconciler.Tests.Solana.RecordedReplies;

namespace Usd1Reconciler.Tests.Solana.Decoding;

public sealed class SplSupplyDecoderTests
{
    [Test]
    public void Decode_TopLevelMintTo_YieldsOneMintKeyedByOuterIndex()
    {
        var events = SplSupplyDecoder.Decode(Result("mint-to"), Mint);

        Assert.That(events, Has.Count.EqualTo(1), "the transaction holds exactly one mintTo of the mint");
        var e = events[0];
        Assert.Multiple(() =>
        {
            Assert.That(e.Kind, Is.EqualTo(SupplyEventKind.Mint));
            Assert.That(e.Amount, Is.EqualTo(TokenAmount.ParseDecimal("2500000000")), "info.amount is the base-unit amount");
            Assert.That(e.BlockNumber, Is.EqualTo(301000100), "the slot is the Solana block number");
            Assert.That(e.BlockHash, Is.Empty, "a transaction reply does not carry its block's hash (recentBlockhash is not it)");
            Assert.That(e.Position, Is.EqualTo(0));
            Assert.That(e.SubPosition, Is.EqualTo(SupplyEvent.TopLevel), "a top-level instruction has no inner position");
            Assert.That(e.Actor, Is.EqualTo(MintAuthority), "the mint authority caused the mint");
            Assert.That(e.Holder, Is.EqualTo(TokenAccount), "the token account's balance changed");
            Assert.That(e.BlockTime, Is.EqualTo(DateTimeOffset.FromUnixTimeSeconds(1732540800)));
            Assert.That(e.TransactionId, Is.EqualTo(MintToSignature), "the event is keyed by the transaction's first signature");
        });
    }

    [Test]
    public void Decode_MintThroughCpi_YieldsInnerEventAtOuterIndexAndInnerPosition()
    {
        var events = SplSupplyDecoder.Decode(Result("mint-cpi-inner"), Mint);

        Assert.That(events, Has.Count.EqualTo(1), "only the inner mintTo changes supply; the memo and the issuer program do not");
        Assert.Multiple(() =>
        {
            Assert.That(events[0].Position, Is.EqualTo(1), "innerInstructions[].index names the top-level instruction that made the CPI");
            Assert.That(events[0].SubPosition, Is.EqualTo(1), "the mintTo is second in its inner list, after the memo");
            Assert.That(events[0].Amount.Value, Is.EqualTo(new System.Numerics.BigInteger(1_000_000)));
        });
    }

    [Test]
    public void Decode_VersionedTransactionWithLookupTable_ReadsAddressesFromParsedInfo()
    {
        // jsonParsed resolves lookup-table addresses into accountKeys (source "lookupTable") and into the parsed info.
        var events = SplSupplyDecoder.Decode(Result("mint-v0-lookup"), Mint);

        Assert.That(events, Has.Count.EqualTo(1), "a v0 transaction's mint is decoded like a legacy one");
        Assert.That(events[0].Holder, Is.EqualTo(TokenAccount), "the token account loaded from the lookup table is the holder");
    }

    [Test]
    public void Decode_V1MintToChecked_YieldsOneMint()
    {
        var events = SplSupplyDecoder.Decode(Result("mint-v1"), Mint);

        Assert.That(events, Has.Count.EqualTo(1), "a v1 transaction's parsed mintToChecked is decoded like any other version's");
        Assert.Multiple(() =>
        {
            Assert.That(events[0].Kind, Is.EqualTo(SupplyEventKind.Mint));
            Assert.That(events[0].Amount, Is.EqualTo(TokenAmount.ParseDecimal("2500000")), "info.tokenAmount.amount, not the balance change");
            Assert.That(events[0].TransactionId, Is.EqualTo(MintV1Signature));
            Assert.That(events[0].Holder, Is.EqualTo(TokenAccount));
            Assert.That(events[0].BlockNumber, Is.EqualTo(301000400));
        });
    }

    [TestCase("2", TestName = "Decode_VersionTwo_ThrowsUnsupportedVersionNamingSignature")]
    [TestCase("\"v2\"", TestName = "Decode_VersionAsUnknownText_ThrowsUnsupportedVersionNamingSignature")]
    public void Decode_UnknownVersion_ThrowsUnsupportedVersionNamingSignature(string version)
    {
        var reply = Result("mint-v1", text => text.Replace("\"version\": 1", $"\"version\": {version}", StringComparison.Ordinal));

        var ex = Assert.Throws<UnsupportedTransactionVersionException>(() => SplSupplyDecoder.Decode(reply, Mint));

        Assert.Multiple(() =>
        {
            Assert.That(ex!.Signature, Is.EqualTo(MintV1Signature), "the refusal names the transaction that blocks indexing");
            Assert.That(ex.Message, Does.Contain(version.Trim('"')), "and the version it is in");
        });
    }

    [Test]
    public void Decode_MultisigMintAuthority_ActorIsTheMultisigAccount()
    {
        var events = SplSupplyDecoder.Decode(Result("mint-multisig"), Mint);

        Assert.That(events.Single().Actor, Is.EqualTo(Multisig), "the multisig is the authority; its signers only approve");
    }

    [Test]
    public void Decode_MintToChecked_ReadsTokenAmountAmount()
    {
        var events = SplSupplyDecoder.Decode(Result("mint-to-checked"), Mint);

        Assert.That(events.Single().Amount, Is.EqualTo(TokenAmount.ParseDecimal("1234567")),
            "checked variants carry the amount in tokenAmount.amount; uiAmount is a lossy double and never used");
    }

    [Test]
    public void Decode_BurnCheckedAndBurn_YieldTwoBurnsByTheOwner()
    {
        var events = SplSupplyDecoder.Decode(Result("burn-checked"), Mint);

        Assert.That(events.Select(e => (e.Kind, e.Position, e.Amount.ToString(), e.Actor)), Is.EqualTo(new[]
        {
            (SupplyEventKind.Burn, 0, "300000", (string?)Holder),
            (SupplyEventKind.Burn, 1, "200000", (string?)Holder),
        }), "burnChecked at 0 and burn at 1, each burnt by the token account's owner");
    }

    [Test]
    public void Decode_OtherMintAndTransferOfOurs_YieldsNothing()
    {
        var events = SplSupplyDecoder.Decode(Result("other-mint"), Mint);

        Assert.That(events, Is.Empty, "a mint of another mint and a transfer of ours leave our supply unchanged");
    }

    [Test]
    public void Decode_FailedTransaction_YieldsNothing()
    {
        var events = SplSupplyDecoder.Decode(Result("failed-burn"), Mint);

        Assert.That(events, Is.Empty, "a failed transaction's instructions were undone; only the fee was charged");
    }

    [Test]
    public void Decode_Token2022Mint_IsRecognisedByProgramId()
    {
        var events = SplSupplyDecoder.Decode(Result("token2022-mint"), Mint2022);

        Assert.That(events.Single().Amount, Is.EqualTo(TokenAmount.ParseDecimal("5000000")),
            "Token-2022 instructions are labelled spl-token too; the programId is what identifies them");
    }

    [Test]
    public void Decode_U64MaxAmount_IsExact()
    {
        var events = SplSupplyDecoder.Decode(Result("mint-u64-max"), Mint);

        Assert.That(events.Single().Amount.Value, Is.EqualTo(new System.Numerics.BigInteger(ulong.MaxValue)),
            "18446744073709551615 must survive without passing through a double");
    }

    [Test]
    public void Decode_ImpostorProgramWithTokenLabel_IsIgnored()
    {
        var events = SplSupplyDecoder.Decode(Result("impostor-program"), Mint);

        Assert.That(events, Is.Empty, "only the Token and Token-2022 programs can change an SPL mint's supply, whatever the label says");
    }

    [Test]
    public void Decode_MissingMeta_ThrowsNamingMeta()
    {
        var ex = Assert.Throws<SplTransactionFormatException>(() => SplSupplyDecoder.Decode(Result("missing-meta"), Mint));

        Assert.That(ex!.Message, Does.Contain("'meta'"), "without meta neither success nor inner instructions are known");
    }

    [Test]
    public void Decode_UnparsedTokenMintOfOurMint_Throws()
    {
        var ex = Assert.Throws<SplTransactionFormatException>(() => SplSupplyDecoder.Decode(Result("unparsed-token-mint"), Mint));

        Assert.That(ex!.Message, Does.Contain("did not parse"), "an unparsed mint of our mint cannot be skipped without breaking the ledger");
    }

    [TestCase("\"amount\": 2500000000", "must be a decimal string", TestName = "Decode_AmountAsNumber_ThrowsSayingStringExpected")]
    [TestCase("\"amount\": \"-2500000000\"", "not a base-10 unsigned integer", TestName = "Decode_NegativeAmount_ThrowsSayingNotUnsigned")]
    [TestCase("\"amount\": \"2.5e9\"", "not a base-10 unsigned integer", TestName = "Decode_AmountNotDigits_ThrowsSayingNotUnsigned")]
    [TestCase("\"amount\": \"18446744073709551616\"", "exceeds the u64", TestName = "Decode_AmountAboveU64_ThrowsSayingU64")]
    public void Decode_MalformedAmount_ThrowsSpecificError(string replacement, string expected)
    {
        var reply = Result("mint-to", text => text.Replace("\"amount\": \"2500000000\"", replacement, StringComparison.Ordinal));

        var ex = Assert.Throws<SplTransactionFormatException>(() => SplSupplyDecoder.Decode(reply, Mint));

        Assert.Multiple(() =>
        {
            Assert.That(ex!.Message, Does.Contain(expected), "the error must say what is wrong with the amount");
            Assert.That(ex.Message, Does.Contain("info.amount"), "and where the amount was");
            Assert.That(ex.Signature, Is.EqualTo(MintToSignature), "and which transaction carried it");
        });
    }

    [Test]
    public void Decode_InnerInstructionsNull_ThrowsBecauseCpiMintsWouldBeInvisible()
    {
        var reply = Result("mint-to", text => text.Replace("\"innerInstructions\": []", "\"innerInstructions\": null", StringComparison.Ordinal));

        Assert.That(() => SplSupplyDecoder.Decode(reply, Mint),
            Throws.TypeOf<SplTransactionFormatException>().With.Message.Contains("innerInstructions"),
            "a node that did not record inner instructions hides mints made through CPI");
    }

    [Test]
    public void Decode_InnerIndexBeyondTopLevel_Throws()
    {
        var reply = Result("mint-cpi-inner", text => text.Replace("\"index\": 1,", "\"index\": 7,", StringComparison.Ordinal));

        Assert.That(() => SplSupplyDecoder.Decode(reply, Mint),
            Throws.TypeOf<SplTransactionFormatException>().With.Message.Contains("index"),
            "an inner list must belong to an existing top-level instruction, or the event key is meaningless");
    }
}
