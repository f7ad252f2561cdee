using Usd1Reconciler.Core.Governance;
using Usd1Reconciler.Solana.Decoding;

namespace Usd1Reconciler.Solana.Indexing;

/// <summary>
/// Maps the decoder's <see cref="SplGovernanceChange"/>s onto the network-neutral <see cref="GovernanceChange"/>
/// records the store keeps and the fold reads. Cases: an authority set → <see cref="GovernanceChangeKind.AuthorityChanged"/>
/// keyed by agave's authority type name (mintTokens, freezeAccount, closeMint, permanentDelegate, metadataPointer,
/// pause, …; the same names the mint account's authorities are read under for the proof and a policy names);
/// freeze/thaw → AccountFrozen/AccountThawed of the token account; pause/resume → Paused/Unpaused; a multisig's
/// initialisation and an unparsed privileged instruction → <see cref="GovernanceChangeKind.Declared"/>: recorded in the
/// log and folded as declared entries (<c>initializeMultisig:&lt;multisig&gt;</c> → its m-of-n and signers; the newest
/// unparsed instruction under one entry), which no policy judges (what an unparsed instruction changed the governance
/// proof settles from the chain).
/// </summary>
internal static class SolanaGovernanceChanges
{
    public const string MultisigSubject = "initializeMultisig";

    public const string UnparsedSubject = "unparsed token instruction";

    public static GovernanceChange ToRecord(string network, SplGovernanceChange c)
    {
        var (kind, subject, value) = c.Kind switch
        {
            SplGovernanceChangeKind.AuthoritySet => (GovernanceChangeKind.AuthorityChanged, c.Subject, c.NewValue),
            SplGovernanceChangeKind.AccountFrozen => (GovernanceChangeKind.AccountFrozen, c.Subject, null),
            SplGovernanceChangeKind.AccountThawed => (GovernanceChangeKind.AccountThawed, c.Subject, null),
            SplGovernanceChangeKind.Paused => (GovernanceChangeKind.Paused, GovernanceStateKeys.Paused, null),
            SplGovernanceChangeKind.Resumed => (GovernanceChangeKind.Unpaused, GovernanceStateKeys.Paused, null),
            SplGovernanceChangeKind.MultisigInitialized => (GovernanceChangeKind.Declared, $"{MultisigSubject}:{c.Subject}", c.NewValue),
            SplGovernanceChangeKind.Unparsed => (GovernanceChangeKind.Declared, UnparsedSubject, c.Subject),
            _ => throw new ArgumentOutOfRangeException(nameof(c), c.Kind, "unknown Solana governance change kind"),
        };

        // Solana transaction replies carry no block hash (recentBlockhash is not it), as for supply events.
        return new GovernanceChange(network, kind, subject, null, value, c.Actor, c.Slot, string.Empty, c.Signature, c.Position, c.SubPosition, c.BlockTime);
    }
}
