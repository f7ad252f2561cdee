namespace Usd1Reconciler.Solana.Decoding;

/// <summary>
/// Authority type names as agave's jsonParsed shows them (<c>UiAuthorityType</c>, camelCase), and where each mint-level
/// authority lives in a jsonParsed mint account: the base mint (mintTokens, freezeAccount) or a Token-2022 extension's
/// state (account-decoder parse_token_extension.rs).
/// </summary>
public static class SplAuthorityTypes
{
    public const string MintTokens = "mintTokens";
    public const string FreezeAccount = "freezeAccount";
    public const string CloseMint = "closeMint";
    public const string PermanentDelegate = "permanentDelegate";
    public const string MetadataPointer = "metadataPointer";
    public const string Pause = "pause";

    /// <summary>
    /// The Token-2022 token-metadata extension's update authority (who may rename the token, change its symbol and URI).
    /// Not one of agave's UiAuthorityType — no setAuthority sets it; initializeTokenMetadata and
    /// updateTokenMetadataAuthority do — so it is named after the extension's jsonParsed field.
    /// </summary>
    public const string TokenMetadataUpdateAuthority = "tokenMetadataUpdateAuthority";

    /// <summary>Every mint-owned authority type of agave's UiAuthorityType, and the token-metadata update authority: the keys a Solana governance policy may name.</summary>
    public static readonly IReadOnlySet<string> MintAuthorityTypes = new HashSet<string>(StringComparer.Ordinal)
    {
        TokenMetadataUpdateAuthority, MintTokens, FreezeAccount, "transferFeeConfig", "withheldWithdraw", CloseMint, "interestRate", PermanentDelegate,
        "confidentialTransferMint", "transferHookProgramId", "confidentialTransferFeeConfig", MetadataPointer, "groupPointer",
        "groupMemberPointer", "scaledUiAmount", Pause, "permissionedBurn",
    };

    /// <summary>Authority types owned by a token account, not the mint (setAuthority shows them with <c>account</c>, not <c>mint</c>).</summary>
    public static bool IsAccountOwned(string authorityType) => authorityType is "accountOwner" or "closeAccount";

    /// <summary>
    /// (extension tag, field of its state, authority type) for every mint extension that carries an authority. A
    /// transfer-fee config carries two (config and withheld-withdraw).
    /// </summary>
    public static readonly IReadOnlyList<(string Extension, string Field, string AuthorityType)> ExtensionAuthorities =
    [
        ("transferFeeConfig", "transferFeeConfigAuthority", "transferFeeConfig"),
        ("transferFeeConfig", "withdrawWithheldAuthority", "withheldWithdraw"),
        ("mintCloseAuthority", "closeAuthority", CloseMint),
        ("interestBearingConfig", "rateAuthority", "interestRate"),
        ("permanentDelegate", "delegate", PermanentDelegate),
        ("confidentialTransferMint", "authority", "confidentialTransferMint"),
        ("transferHook", "authority", "transferHookProgramId"),
        ("confidentialTransferFeeConfig", "authority", "confidentialTransferFeeConfig"),
        ("metadataPointer", "authority", MetadataPointer),
        ("groupPointer", "authority", "groupPointer"),
        ("groupMemberPointer", "authority", "groupMemberPointer"),
        ("scaledUiAmountConfig", "authority", "scaledUiAmount"),
        ("pausableConfig", "authority", Pause),
        ("tokenMetadata", "updateAuthority", TokenMetadataUpdateAuthority),
    ];
}
