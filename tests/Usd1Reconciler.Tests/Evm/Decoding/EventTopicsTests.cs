using Usd1Reconciler.Evm.Decoding;

namespace Usd1Reconciler.Tests.Evm.Decoding;

public sealed class EventTopicsTests
{
    // Published topic0 values (ERC-20 Transfer; the Mint/Burn events of FiatToken-style stablecoins).
    [TestCase("Transfer(address,address,uint256)", "0xddf252ad1be2c89b69c2b068fc378daa952ba7f163c4a11628f55a4df523b3ef")]
    [TestCase("Mint(address,address,uint256)", "0xab8530f87dc9b59234c4623bf917212bb2536d647574c8e7e5da92c2ede0c9f8")]
    [TestCase("Burn(address,uint256)", "0xcc16f5dbb4873280815c1ee09dbd06736cffcc184412cf7a71a0fdb75d397ca5")]
    public void Topic_KnownSignature_MatchesPublishedHash(string signature, string expected) =>
        Assert.That(EventTopics.Topic(signature), Is.EqualTo(expected), "keccak256, not SHA3-256: the two differ in padding");
}
