namespace Usd1Reconciler.Core.Networks;

/// <summary>
/// The identity under which a network's data is stored. A stored network whose identity no longer matches the
/// configuration (another chain id or token address under the same name) is refused rather than mixed.
/// </summary>
/// <param name="ChainId">EVM chain id; null on Solana.</param>
/// <param name="Asset">Token contract address (EVM, lower case) or mint address (Solana).</param>
public sealed record NetworkRegistration(string Name, NetworkKind Kind, long? ChainId, string Asset);
