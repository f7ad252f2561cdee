namespace Usd1Reconciler.Core.Anomalies;

/// <summary>The discrete findings the daemon pages on. Names are the Alertmanager alertname and the runbook file name.</summary>
public enum AnomalyRule
{
    /// <summary>A mint by an address (or mint authority) that is not on the network's allowlist.</summary>
    UnknownMinter,

    /// <summary>One mint above the network's per-event limit.</summary>
    OversizedMint,

    /// <summary>One burn above the network's per-event limit.</summary>
    OversizedBurn,

    /// <summary>Mints minus burns within the rolling window above the limit.</summary>
    NetMintWindowExceeded,

    /// <summary>One minter's mints within the rolling window above its quota.</summary>
    MinterQuotaExceeded,

    /// <summary>The ledger proof failed: on-chain supply differs from Σ mints − Σ burns.</summary>
    UnexplainedSupplyChange,

    /// <summary>A reorg at or beyond the configured depth (or below finality, which the indexer refuses).</summary>
    DeepReorg,

    /// <summary>Supply changed on a network marked paused or deprecated.</summary>
    ActivityOnPausedNetwork,

    /// <summary>The token's decimals or symbol read from the chain differ from those stored at the first read.</summary>
    TokenIdentityChanged,

    /// <summary>The governance state (roles, minters and allowances, owner, implementation, authorities, pause, denylist) is outside the network's policy (issue 15).</summary>
    GovernanceDrift,

    /// <summary>The governance proof failed: the chain's own view differs from the state folded from events — a privileged change without an event.</summary>
    GovernanceProofMismatch,
}
