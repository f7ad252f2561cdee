namespace Usd1Reconciler.Devnet;

/// <summary>
/// anvil's default unlocked dev accounts (lower case). eth_sendTransaction works only from these, so whoever drives
/// an anvil sends without holding a key.
/// </summary>
public static class AnvilDevAccounts
{
    /// <summary>#0: deploys contracts and holds every role (the issuer).</summary>
    public const string Account0 = "0xf39fd6e51aad88f6f4ce6ab8827279cfffb92266";

    /// <summary>#1.</summary>
    public const string Account1 = "0x70997970c51812dc3a010c7d01b50e0d17dc79c8";

    /// <summary>#2.</summary>
    public const string Account2 = "0x3c44cdddb6a900fa2b585dd299e03d12fa4293bc";

    /// <summary>#3.</summary>
    public const string Account3 = "0x90f79bf6eb2c4f870365e785982e1f101e93b906";
}
