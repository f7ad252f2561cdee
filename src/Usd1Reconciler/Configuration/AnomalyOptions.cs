using System.ComponentModel.DataAnnotations;
using Usd1Reconciler.Core.Anomalies;

namespace Usd1Reconciler.Configuration;

/// <summary>
/// A network's anomaly limits. Amounts are strings of base units (a uint256 does not survive a JSON number).
/// Every limit is optional; an absent one switches its rule off.
/// </summary>
public sealed class AnomalyOptions
{
    /// <summary>Largest single mint, base units.</summary>
    [BaseUnits]
    public string? MaxMint { get; set; }

    /// <summary>Largest single burn, base units.</summary>
    [BaseUnits]
    public string? MaxBurn { get; set; }

    /// <summary>Largest mints − burns within <see cref="Window"/>, base units.</summary>
    [BaseUnits]
    public string? MaxNetMint { get; set; }

    /// <summary><value>Default 24 h.</value> Rolling window of the net-mint and quota rules.</summary>
    [PositiveDuration]
    public TimeSpan Window { get; set; } = TimeSpan.FromHours(24);

    /// <summary>Addresses / mint authorities allowed to mint; empty = no allowlist.</summary>
    public List<string> AllowedMinters { get; set; } = [];

    /// <summary>Per-minter cap on mints within <see cref="Window"/>, base units, keyed by minter address.</summary>
    [BaseUnits]
    public Dictionary<string, string> MinterQuotas { get; set; } = [];

    /// <summary><value>Default 5.</value> Reorgs this deep or deeper are anomalies.</summary>
    [Range(1, int.MaxValue)]
    public int DeepReorgDepth { get; set; } = 5;

    /// <summary><value>Default Active.</value> Paused or Deprecated: any supply change there is an anomaly.</summary>
    public NetworkStatus Status { get; set; } = NetworkStatus.Active;

    /// <summary>Block-explorer link for a transaction, with <c>{tx}</c> where the id goes (e.g. https://etherscan.io/tx/{tx}).</summary>
    [RegularExpression(@".*\{tx\}.*", ErrorMessage = "must contain {tx} where the transaction id goes")]
    public string? ExplorerTxUrl { get; set; }
}
