using System.Text;
using Usd1Reconciler.Reserves.Parsing;

namespace Usd1Reconciler.Tests.Reserves.Parsing;

public sealed class ProofOfReserveParserTests
{
    [Test]
    public void ProofOfReserve_UnixTimestampAndRipcord_Read()
    {
        var parsed = ProofOfReserveParser.Parse(Encoding.UTF8.GetBytes("""{"totalReserve":"2000000.5","timestamp":1751241600,"ripcord":true}"""), "PoR Co");

        Assert.Multiple(() =>
        {
            Assert.That(parsed.Ripcord, Is.True);
            Assert.That(parsed.Accounts.Single().Amount.ToString(), Is.EqualTo("2000000.5"));
            Assert.That(parsed.Accounts.Single().DaysToLiquidity, Is.Null, "a bare total says nothing about liquidity");
            Assert.That(parsed.AsOf, Is.EqualTo(DateTimeOffset.FromUnixTimeSeconds(1751241600)));
        });
    }
}
