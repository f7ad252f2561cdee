namespace Usd1Reconciler.Cli;

/// <summary>Process exit codes, stable for scripts and systemd.</summary>
public static class ExitCodes
{
    public const int Ok = 0;

    /// <summary>A network or the store failed at run time (unreachable RPC, refused reorg, damaged store).</summary>
    public const int Failure = 1;

    /// <summary>The configuration or the command line is invalid; nothing was started and nothing was written.</summary>
    public const int InvalidConfiguration = 2;

    /// <summary>`reconcile --once`: every input fresh and proven, and the reserves fail a rule.</summary>
    public const int Undercollateralized = 3;

    /// <summary>`reconcile --once`: an input was stale, missing or failed its proof; the report names it.</summary>
    public const int Inconclusive = 4;
}
