namespace Usd1Reconciler.Tests.Solana;

/// <summary>
/// Addresses in the gov-*.json and mint-account-*.json replies. Those are the devnet's replies (tools/devnet/solana,
/// whose shapes follow agave's parse_token.rs and account-decoder) for a real Token-2022 mint with a freeze authority
/// and close-authority, permanent-delegate and metadata-pointer extensions; gov-inner.json regroups the same
/// instructions as CPIs of an issuer program (stackHeight 2), and gov-set-authority-failed.json sets meta.err.
/// </summary>
internal static class GovernanceReplies
{
    public const string Mint = "71rs4aZnD7LmLTX95HeCTjqnsXnMxNSfHvFCUuxzt1M7";
    public const string TokenAccount = "FSwSTVsk8cZ1Tg2D68omEV3pfCd7dnzZ8vWrNZct2QmP";
    public const string FirstMintAuthority = "DjbQAwHfHpNbnU2ycfY4pirZmi8mCpzZM5NVetCBKdvG";
    public const string FreezeAuthority = "GQTTRFfbAqNp8SJ4sFT5bd5MjCQ9FfqVYCZWa6tjkN7b";
    public const string CloseAuthority = "7TLrfETtZQJUMQFh4vddVRTHHRvp1srxWG3Zvn3Mh7jW";
    public const string PermanentDelegate = "FsZrM9fF8YNmihct5XcYGyAMmRzsZHWy53RVdccvznan";
    public const string MetadataPointerAuthority = "9661cTcEPFb2LnsfB2Q7MMpAtm1yuste3uAeDrArLahb";
    public const string Multisig = "GJjmwig9ztsLm871XtJaRDHb243DDpiVBKrRXw7UX6d6";
    public const string UnknownKey = "BNt23Kq6HVQnJFS35XWLzr8J48yBVGBpxXkEaga6iPY8";
    public const string SetByMultisigSignature = "4s2KDk3KEFih6eTL3RwfjGxRPyLCjRvDx7WE2chVNCEbMpoLf4HM9ZXfyMTurC5MteFGZ1bSktFGMGgsuHRqNzpL";
    public const long SetByMultisigSlot = 447552008;

    public static readonly string[] MultisigSigners =
        ["FzoSKKNKQdpWvZxJwWMNG3xWvTFPVJsk1cn52ZG7QJYK", "7GLV5RqPt9sDycH3P3rSvbGrmb8H7s43AWLMCdeUUnU7", "D759LMvXLkEuceqQmiCd4qfeSMy4qbcZzLtrJ33fFMWK"];

    /// <summary>mint-account-token.json: a Token-program mint (82 bytes, no extensions) with a freeze authority.</summary>
    public const string TokenProgramMintAuthority = "HUBFWC8t7TtUNzrczoBLoV542DZLLUjuWEPg5oUq5Hkf";
    public const string TokenProgramFreezeAuthority = "6pV6ggWrjNEA7HjFLKGnMQt3ZU8YELeejGtC8a48UJeu";
}
