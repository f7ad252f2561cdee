namespace Usd1Reconciler.Core.Networks;

/// <summary>The chain families the daemon can follow.</summary>
public enum NetworkKind
{
    Evm,
    Solana,
}
