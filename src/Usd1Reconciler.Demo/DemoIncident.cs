namespace Usd1Reconciler.Demo;

/// <summary>The incidents `usd1rec-demo` can stage on request, each one a thing the daemon must notice.</summary>
internal enum DemoIncident
{
    /// <summary>An address that is not an allowed minter is granted the role and mints far above the limit, unbacked.</summary>
    OversizedMint,

    /// <summary>`anvil_reorg` replaces the newest blocks of the first EVM network, dropping its recent transactions.</summary>
    Reorg,

    /// <summary>The custodian feed stops updating; its snapshot ages past its freshness budget.</summary>
    FeedOutage,
}
