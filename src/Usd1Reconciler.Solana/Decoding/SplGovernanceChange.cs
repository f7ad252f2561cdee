namespace Usd1Reconciler.Solana.Decoding;

/// <summary>
/// One privileged action on the mint, keyed like a supply event by (signature, <see cref="Position"/>,
/// <see cref="SubPosition"/>) so that indexing the same transaction twice yields the same key.
/// </summary>
/// <param name="Subject">
/// What changed: the authority type (agave's names: mintTokens, freezeAccount, closeMint, permanentDelegate,
/// metadataPointer, pause, …) for <see cref="SplGovernanceChangeKind.AuthoritySet"/>; the token account for freeze and
/// thaw; the multisig account for <see cref="SplGovernanceChangeKind.MultisigInitialized"/>; the mint for pause and
/// resume; <c>discriminator N</c> for <see cref="SplGovernanceChangeKind.Unparsed"/>.
/// </param>
/// <param name="NewValue">
/// The new authority (null: none) for AuthoritySet; <c>m-of-n: signer,…</c> for a multisig; null otherwise.
/// </param>
/// <param name="Actor">The signing authority (the multisig account when a multisig signed); null for initialisers, which need no authority.</param>
/// <param name="Signers">The multisig's signers when <see cref="Actor"/> is a multisig; empty otherwise.</param>
public sealed record SplGovernanceChange(
    SplGovernanceChangeKind Kind,
    long Slot,
    string Signature,
    int Position,
    int SubPosition,
    string Subject,
    string? NewValue,
    string? Actor,
    IReadOnlyList<string> Signers,
    DateTimeOffset? BlockTime);
