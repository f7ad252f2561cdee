namespace Usd1Reconciler.Core.Ingest;

/// <summary>
/// How far a network has been indexed. <see cref="Id"/> names the tip so a restart can check it is still on the chain:
/// the block hash on EVM networks, the newest indexed signature on Solana.
/// </summary>
public sealed record ChainTip(long Number, string Id);
