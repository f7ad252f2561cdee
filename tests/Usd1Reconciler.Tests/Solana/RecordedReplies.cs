using System.Text.Json;

namespace Usd1Reconciler.Tests.Solana;

/// <summary>Loads the hand-written, cluster-shaped JSON-RPC replies under Solana/Replies.</summary>
internal static class RecordedReplies
{
    // Addresses the replies use (base58 of SHA-256 of a tag, so they look and parse like real keys).
    public const string Mint = "HQi2TLSwJ4csQYWuwwoF37gpQ9cQL7W9cqzQiF4Htz7H";
    public const string OtherMint = "63XUGjq1d7dTiXrRbf7QjrT3VhnijeVJJujkbtwKT9o8";
    public const string Mint2022 = "5QNf8fDFiTLda1Ksa6Mfs1EKnMjpPDgGPak8KPoQNAYk";
    public const string MintAuthority = "3BcvnbvZ7tn4ioGE88Nq3CpUmQCNTXn1PG3AMkhF5fob";
    public const string Holder = "8RT4oqaKFyiaLPRvrmhtqWJrum7HmZUyNgCobUKUdFBU";
    public const string TokenAccount = "8MvdHr2fsTbo2Q75HaEvZ3HhjfcML1iTMsddD1yrXgSj";
    public const string MintToSignature = "2TVVJEMbfXpMTHJJW1Hy8AVSb7nNqVEY7nSstTFx95ma87F9cwcnjs7coaA9Zk1R4adENGb49yzGSfRufK66E1qb";
    public const string Multisig = "99uDnMUHeXMFY7SVthEWk2HzS7VFx4XRgSAQUUjABJxM";
    public const string MintV0Signature = "3Qm8Rd9whWQuSrYnXkL2ZBug2A8LULfPZ7Fe5CLNJCW7rtBGJ422zJ5LHyvYKwk5xDJoBJ1AN71aSf8pZshs7Wz4";

    /// <summary>
    /// mint-v1.json: a version-1 transaction (SIMD-0385) as agave's jsonParsed renders it — a UiParsedMessage of
    /// accountKeys (all static, source "transaction": v1 has no address lookup tables), instructions and
    /// recentBlockhash (the message's lifetime specifier), no addressTableLookups, and no ComputeBudget instruction
    /// (the v1 message carries its budget in its config); meta as for any version. The devnet serves the same shape
    /// from a v1 transaction LiteSVM executed (tools/devnet/solana/test/versions.test.mjs).
    /// </summary>
    public const string MintV1Signature = "bBeT2ScwUsSV2Nusz1Eka7dNUKzf28r8NeorDhX3ietauUsHzkX9FE9ZjRMqBWrpthr8bniRCtfE8vF3YJ5a4mq";

    public static string Text(string name) => File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Solana", "Replies", name + ".json"));

    /// <summary>The <c>result</c> of a recorded reply, optionally after a textual edit (to make malformed variants).</summary>
    public static JsonElement Result(string name, Func<string, string>? edit = null)
    {
        var text = Text(name);
        if (edit is not null)
        {
            var edited = edit(text);
            Assert.That(edited, Is.Not.EqualTo(text), $"the edit of {name} must change the reply, or the test proves nothing");
            text = edited;
        }

        using var document = JsonDocument.Parse(text);
        return document.RootElement.GetProperty("result").Clone();
    }
}
