namespace Usd1Reconciler.Solana.Decoding;

/// <summary>The privileged actions on a mint the governance decoder recognises.</summary>
public enum SplGovernanceChangeKind
{
    /// <summary>
    /// An authority of the mint was set: setAuthority (any mint-owned authority type), or the initial authorities
    /// that initializeMint/initializeMint2 and the Token-2022 extension initialisers establish.
    /// </summary>
    AuthoritySet,

    /// <summary>freezeAccount of one of the mint's token accounts.</summary>
    AccountFrozen,

    /// <summary>thawAccount of one of the mint's token accounts.</summary>
    AccountThawed,

    /// <summary>initializeMultisig/initializeMultisig2 in a transaction of the mint: who the multisig's signers are.</summary>
    MultisigInitialized,

    /// <summary>Token-2022 pausable extension: pause.</summary>
    Paused,

    /// <summary>Token-2022 pausable extension: resume.</summary>
    Resumed,

    /// <summary>
    /// A token-program instruction that names the mint and whose discriminator is a privileged one, but which the node
    /// left unparsed: what it changed is unknown, so it is recorded for the governance proof to settle.
    /// </summary>
    Unparsed,
}
