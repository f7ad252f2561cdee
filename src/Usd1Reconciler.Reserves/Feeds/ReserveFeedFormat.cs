namespace Usd1Reconciler.Reserves.Feeds;

/// <summary>How a feed's document is read.</summary>
public enum ReserveFeedFormat
{
    /// <summary>Custodian snapshot as JSON: custodian, asOf, attestation, accounts[].</summary>
    CustodianJson,

    /// <summary>Bank-statement export as CSV, one account per row.</summary>
    CustodianCsv,

    /// <summary>Proof-of-reserve style <c>{totalReserve, timestamp, ripcord}</c>.</summary>
    ProofOfReserve,
}
