using Prometheus;

namespace Usd1Reconciler.Metrics;

/// <summary>
/// Every metric the daemon exports, in one place, each with help text (a test holds every metric to Prometheus naming
/// conventions). Supply and reserves are in tokens / USD (1 token = 1 USD) as floats: Prometheus stores float64, so
/// these are for dashboards and alerts; the exact base-unit figures live in the store and in `usd1rec supply`.
/// </summary>
public sealed class ReconcilerMetrics
{
    public ReconcilerMetrics(CollectorRegistry registry)
    {
        Registry = registry;
        var f = Prometheus.Metrics.WithCustomRegistry(registry);
        Supply = f.CreateGauge("usd1_supply_tokens", "Token supply per network in whole tokens (1 token = 1 USD); kind: onchain (totalSupply at the final block), indexed (final mints - burns), provisional (including unfinal events), circulating (onchain minus excluded holders).", "network", "kind");
        TotalSupply = f.CreateGauge("usd1_total_supply_tokens", "Supply summed over all networks in whole tokens; kind: indexed or circulating.", "kind");
        Reserves = f.CreateGauge("usd1_reserves_usd", "Reserves in USD by custodian and asset class, from the feed snapshots of the latest conclusive reconciliation.", "custodian", "asset_class");
        // Provenance (invariant 9): coverage and shortfall are the latest CONCLUSIVE reconciliation's, never a figure
        // from an Inconclusive one, and absent (not 0) until a conclusive report exists, also right after a restart.
        var absentUntilSet = new GaugeConfiguration { SuppressInitialValue = true };
        CoverageRatio = f.CreateGauge("usd1_coverage_ratio", "Eligible reserves divided by circulating supply at the latest conclusive reconciliation (1 = 100%); absent until one exists, never set from an inconclusive one.", absentUntilSet);
        CoverageMinimumRatio = f.CreateGauge("usd1_coverage_minimum_ratio", "Configured minimum coverage ratio (100% plus the buffer).");
        Verdict = f.CreateGauge("usd1_reconciliation_verdict", "1 for the latest reconciliation verdict, 0 for the others.", "verdict");
        Shortfall = f.CreateGauge("usd1_reconciliation_shortfall_usd", "Reserves missing to reach the minimum coverage at the latest conclusive reconciliation, in USD (0 when covered); absent until one exists.", absentUntilSet);
        LastReconciliation = f.CreateGauge("usd1_reconciliation_last_timestamp_seconds", "Unix time of the latest reconciliation.");
        LastConclusiveVerdict = f.CreateGauge("usd1_reconciliation_last_conclusive_verdict", "1 for the verdict (covered, undercollateralized) of the latest conclusive reconciliation, 0 for the other; stays while later ones are inconclusive.", "verdict");
        LastConclusiveTimestamp = f.CreateGauge("usd1_reconciliation_last_conclusive_timestamp_seconds", "Unix time the latest conclusive reconciliation was evaluated at (the age of usd1_coverage_ratio and usd1_reconciliation_shortfall_usd); absent until one exists.", absentUntilSet);
        InconclusiveSince = f.CreateGauge("usd1_reconciliation_inconclusive_since_timestamp_seconds", "Unix time the current run of inconclusive reconciliations began; absent while the latest reconciliation is conclusive.", absentUntilSet);
        LedgerProof = f.CreateGauge("usd1_ledger_proof_status", "1 for the network's current ledger proof status (ok, mismatch, stale), 0 for the others.", "network", "status");
        NetworkStale = f.CreateGauge("usd1_network_stale", "1 when the network's figures are not current (no successful pass or ledger proof within its StaleAfter budget).", "network");
        LastSuccess = f.CreateGauge("usd1_network_last_success_timestamp_seconds", "Unix time of the network's last successful indexing pass.", "network");
        HeadLag = f.CreateGauge("usd1_network_head_lag_seconds", "Seconds between now and the block time of the newest indexed block.", "network");
        FinalBlock = f.CreateGauge("usd1_network_final_block", "Highest block or slot whose events are final.", "network");
        Reorgs = f.CreateCounter("usd1_reorgs_total", "Chain reorganisations followed (EVM forks rolled back, Solana dropped signatures).", "network");
        ReorgDepth = f.CreateGauge("usd1_reorg_depth_blocks", "Depth of the latest reorganisation followed, in blocks (or slots).", "network");
        DeepReorgs = f.CreateCounter("usd1_deep_reorgs_total", "Reorganisations below the final block, refused: indexing of the network stops until an operator acts.", "network");
        EventsIndexed = f.CreateCounter("usd1_events_indexed_total", "Supply events indexed (each counted once when first screened).", "network", "kind");
        RpcRequests = f.CreateCounter("usd1_rpc_requests_total", "RPC requests by endpoint (scheme://host:port) and outcome: ok, error, timeout, rate_limited.", "network", "endpoint", "outcome");
        RpcEndpointsHealthy = f.CreateGauge("usd1_rpc_endpoints_healthy", "Endpoints of the network currently trusted and answering.", "network");
        FeedAge = f.CreateGauge("usd1_feed_age_seconds", "Age of the reserve feed's latest accepted snapshot (now minus its as-of time).", "feed");
        FeedStale = f.CreateGauge("usd1_feed_stale", "1 when the feed's latest accepted snapshot is older than its freshness budget.", "feed");
        FeedRejections = f.CreateCounter("usd1_feed_rejections_total", "Reserve snapshots rejected, by reason.", "feed", "reason");
        Anomalies = f.CreateCounter("usd1_anomalies_total", "Anomalies detected, by rule and network.", "rule", "network");
        AlertsPending = f.CreateGauge("usd1_alerts_pending", "Alerts queued for Alertmanager and not yet accepted by it.");

        // Issue 14.6: who writes each network. Per instance 1 on the writer lease's holder, 0 on a standby (on SQLite
        // the one process holds every network); summed over the instances of a store it must be exactly 1
        // (Usd1NetworkWriterNotExactlyOne). No instance label of its own: Prometheus adds the scrape target's.
        NetworkWriter = f.CreateGauge("usd1_network_writer", "1 while this instance holds the network's writer lease and indexes it, 0 while it stands by; summed over the instances of a store it must be exactly 1.", "network");
        InstanceInfo = f.CreateGauge("usd1_instance_info", "Always 1; label instance_id: this instance's Instance:Id, the name its writer leases, Quartz node and Alertmanager pushes carry.", "instance_id");

        // Report chain witness: Prometheus keeps what the daemon exported, so a chain that shrinks or whose head is
        // replaced at the same length is seen from outside the store. Set only from the store (never an initial 0 that
        // a fresh start could export before its first read), so a restart exports the same truth.
        ReportChainLength = f.CreateGauge("usd1_report_chain_length", "Reports in the hash chain: stored plus pruned by retention behind the anchor (never shrinks unless reports were removed).", new GaugeConfiguration { SuppressInitialValue = true });
        ReportChainHeadInfo = f.CreateGauge("usd1_report_chain_head_info", "Always 1; labels: hash of the newest report (lower-case hex, as `usd1rec report verify --expect-head` takes it) and the chain length at which it is the head.", "hash", "length");

        // Store integrity (StoreIntegrityJob). No series until the first check has run: a default 0 would page
        // damage that nobody found, a default 1 would claim a check that never happened.
        var unsetUntilChecked = new GaugeConfiguration { SuppressInitialValue = true };
        StoreIntegrityOk = f.CreateGauge("usd1_store_integrity_ok", "1 when the latest full SQLite integrity check of the store found no damage, 0 when it found some (see the log and `usd1rec db check`).", unsetUntilChecked);
        StoreIntegrityLastCheck = f.CreateGauge("usd1_store_integrity_last_check_timestamp_seconds", "Unix time the latest full integrity check of the store finished.", unsetUntilChecked);
        StoreIntegrityCheckDuration = f.CreateGauge("usd1_store_integrity_check_duration_seconds", "Seconds the latest full integrity check of the store took (it reads every page).", unsetUntilChecked);

        // Control plane (issue 15).
        GovernanceDriftItems = f.CreateGauge("usd1_governance_drift_items", "Facts of the network's governance state outside its policy (GovernanceDrift pages while above 0).", "network");
        // Exported from start for every network whose governance is proven (GovernanceProofSeries): "never proven" is
        // a value of its own, not "no data".
        GovernanceProof = f.CreateGauge("usd1_governance_proof_status", "1 for the network's latest governance proof status (ok, mismatch, stale), 0 for the others; before the network's first proof status=\"unproven\" is 1 (not proven yet) and the others 0. Exported for every network when the store keeps governance.", "network", "status");
        GovernanceProofTimestamp = f.CreateGauge("usd1_governance_proof_last_timestamp_seconds", "Unix time of the network's latest governance proof; before the first (status=\"unproven\"), the time this process started watching the network, so its age is how long the network has gone unproven.", "network");
        GovernancePaused = f.CreateGauge("usd1_governance_paused", "1 while the token is paused according to its events (the network's status is Paused then).", "network");

        // Token identity (issue 12, decimals are immutable).
        TokenDecimals = f.CreateGauge("usd1_token_decimals", "The network's token decimals as stored at their first read from the chain (every figure in tokens uses them); -1 while never read, and then the network has no usd1_supply_tokens series and usd1_total_supply_tokens is not exported.", "network");
        TokenIdentityMismatch = f.CreateGauge("usd1_token_identity_mismatch", "1 when the chain's token decimals or symbol differ from the stored ones (anomaly TokenIdentityChanged); figures keep the stored decimals.", "network");

        // Issue 18: a Solana transaction in a version this build cannot decode stops the network's indexing at it.
        UnsupportedTransaction = f.CreateGauge("usd1_network_unsupported_transaction_info", "1 while the network's index passes fail at a transaction in a version this usd1rec cannot decode; labels: its signature and version (absent otherwise).", "network", "signature", "version");

        // Run risk (issue 17), from the latest conclusive report's runRisk object (format 3): absent until one exists.
        var absentUntilReported = new GaugeConfiguration { SuppressInitialValue = true };
        NetRedemptions = f.CreateGauge("usd1_net_redemptions_usd", "Net redemptions (burns minus mints of final events, by block/slot time) over the rolling window, in USD; network=total for all; from the latest conclusive reconciliation.", "network", "window");
        NetRedemptionsShare = f.CreateGauge("usd1_net_redemptions_ratio", "Net redemptions over the window as a share of circulating supply (basis=supply, per network and total) or of liquid reserves (basis=liquid_reserves, total over the runway window); 0.1 = 10%.", "network", "window", "basis");
        RedemptionSurgeThreshold = f.CreateGauge("usd1_redemption_surge_threshold_ratio", "Configured RedemptionSurge threshold on usd1_net_redemptions_ratio{network=\"total\"} over the runway window, by basis (supply, liquid_reserves); absent when that basis is off.", "window", "basis");
        LiquidReserves = f.CreateGauge("usd1_liquid_reserves_usd", "Reserves liquid within LiquidityDays (business days under the configured calendar) at the latest conclusive reconciliation, in USD.", absentUntilReported);
        LiquidityRunway = f.CreateGauge("usd1_liquidity_runway_days", "Liquid reserves divided by the runway-window net redemption rate, in days; absent when nothing was redeemed net (unbounded).", absentUntilReported);
        PeakNetRedemptions = f.CreateGauge("usd1_peak_net_redemptions_usd", "Largest total net redemptions over any runway-window span within the peak lookback, in USD.", "window");
    }

    public CollectorRegistry Registry { get; }

    public Gauge Supply { get; }

    public Gauge NetworkWriter { get; }

    public Gauge InstanceInfo { get; }

    public Gauge TotalSupply { get; }

    public Gauge Reserves { get; }

    public Gauge CoverageRatio { get; }

    public Gauge CoverageMinimumRatio { get; }

    public Gauge Verdict { get; }

    public Gauge Shortfall { get; }

    public Gauge LastReconciliation { get; }

    public Gauge LastConclusiveVerdict { get; }

    public Gauge LastConclusiveTimestamp { get; }

    public Gauge InconclusiveSince { get; }

    public Gauge LedgerProof { get; }

    public Gauge NetworkStale { get; }

    public Gauge LastSuccess { get; }

    public Gauge HeadLag { get; }

    public Gauge FinalBlock { get; }

    public Counter Reorgs { get; }

    public Gauge ReorgDepth { get; }

    public Counter DeepReorgs { get; }

    public Counter EventsIndexed { get; }

    public Counter RpcRequests { get; }

    public Gauge RpcEndpointsHealthy { get; }

    public Gauge FeedAge { get; }

    public Gauge FeedStale { get; }

    public Counter FeedRejections { get; }

    public Counter Anomalies { get; }

    public Gauge AlertsPending { get; }

    public Gauge ReportChainLength { get; }

    public Gauge ReportChainHeadInfo { get; }

    public Gauge StoreIntegrityOk { get; }

    public Gauge StoreIntegrityLastCheck { get; }

    public Gauge StoreIntegrityCheckDuration { get; }

    public Gauge GovernanceDriftItems { get; }

    public Gauge GovernanceProof { get; }

    public Gauge GovernanceProofTimestamp { get; }

    public Gauge GovernancePaused { get; }

    public Gauge TokenDecimals { get; }

    public Gauge TokenIdentityMismatch { get; }

    public Gauge UnsupportedTransaction { get; }

    public Gauge NetRedemptions { get; }

    public Gauge NetRedemptionsShare { get; }

    public Gauge RedemptionSurgeThreshold { get; }

    public Gauge LiquidReserves { get; }

    public Gauge LiquidityRunway { get; }

    public Gauge PeakNetRedemptions { get; }

    /// <summary>The text exposition format, as served at /metrics.</summary>
    public async Task<string> ExportAsync(CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        await Registry.CollectAndExportAsTextAsync(buffer, cancellationToken);
        return System.Text.Encoding.UTF8.GetString(buffer.ToArray());
    }
}
