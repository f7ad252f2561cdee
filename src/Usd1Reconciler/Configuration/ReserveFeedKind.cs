namespace Usd1Reconciler.Configuration;

/// <summary>The kinds of reserve feed.</summary>
public enum ReserveFeedKind
{
    /// <summary>Custodian snapshot JSON over HTTP(S).</summary>
    Http,

    /// <summary>A dropped file: custodian snapshot JSON, or a bank-statement CSV when the path ends in .csv.</summary>
    File,

    /// <summary>Proof-of-reserve JSON <c>{totalReserve, timestamp, ripcord}</c>, over HTTP(S) (Url) or from a file (Path).</summary>
    ProofOfReserve,
}
