namespace Usd1Reconciler.Solana.Decoding;

/// <summary>
/// The chain's own view of who controls a mint, from getAccountInfo jsonParsed at one slot.
/// </summary>
/// <param name="Slot">context.slot of the reading.</param>
/// <param name="Program">spl-token or spl-token-2022, as the account decoder labels the mint's owner.</param>
/// <param name="Authorities">
/// Authority type (agave's names, as setAuthority shows them) → current authority, null for none: always mintTokens
/// and freezeAccount, plus one per authority an extension of the mint carries (closeMint, permanentDelegate,
/// metadataPointer, pause, …). An authority type a mint has no extension for is absent, not null.
/// </param>
/// <param name="UnreadExtensions">Extensions whose state the node did not decode (unparseableExtension, or names this version does not know).</param>
/// <param name="Paused">The pausable extension's flag; null without that extension.</param>
public sealed record SplMintAuthorities(
    long Slot,
    string Program,
    IReadOnlyDictionary<string, string?> Authorities,
    IReadOnlyList<string> UnreadExtensions,
    bool? Paused);
