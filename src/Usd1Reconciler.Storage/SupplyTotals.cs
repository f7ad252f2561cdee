using System.Numerics;

namespace Usd1Reconciler.Storage;

/// <summary>A network's running totals of final events as a provider stores them (<c>supply_totals</c>): what finalization folds into.</summary>
/// <param name="FinalBlock">The final block (EVM) or slot (Solana); −1 before the first.</param>
internal readonly record struct SupplyTotals(long FinalBlock, BigInteger Minted, BigInteger Burned, long Mints, long Burns);
