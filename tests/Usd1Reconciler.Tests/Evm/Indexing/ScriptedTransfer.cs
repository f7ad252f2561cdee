using System.Numerics;
using Usd1Reconciler.Core.Supply;

namespace Usd1Reconciler.Tests.Evm.Indexing;

/// <summary>One Transfer log of a <see cref="ScriptedEvmChain"/> block: a mint (from the zero address) or a burn (to it).</summary>
/// <param name="Holder">Lower-case 0x address whose balance changes.</param>
internal sealed record ScriptedTransfer(SupplyEventKind Kind, string Holder, BigInteger Amount)
{
    public static ScriptedTransfer Mint(string holder, BigInteger amount) => new(SupplyEventKind.Mint, holder, amount);

    public static ScriptedTransfer Burn(string holder, BigInteger amount) => new(SupplyEventKind.Burn, holder, amount);
}
