using Usd1Reconciler.Core.Networks;

namespace Usd1Reconciler.Tests.Core.Networks;

public sealed class TokenIdentityTests
{
    [Test]
    public void Differences_SameDecimalsAndSymbol_Null() =>
        Assert.That(new TokenIdentity(6, "USD1").Differences(new TokenIdentity(6, "USD1")), Is.Null);

    [Test]
    public void Differences_DecimalsChanged_NamesOldAndNew() =>
        Assert.That(new TokenIdentity(6, "USD1").Differences(new TokenIdentity(18, "USD1")), Is.EqualTo("decimals 6 -> 18"));

    [Test]
    public void Differences_BothChanged_NamesBoth() =>
        Assert.That(new TokenIdentity(6, "USD1").Differences(new TokenIdentity(8, "USDX")), Is.EqualTo("decimals 6 -> 8, symbol 'USD1' -> 'USDX'"));

    [Test]
    public void Differences_SymbolUnreadableNow_AgreesBecauseDecimalsFixTheScale() =>
        Assert.That(new TokenIdentity(6, "USD1").Differences(new TokenIdentity(6, null)), Is.Null);
}
