using System.Text;
using Usd1Reconciler.Reserves.Parsing;

namespace Usd1Reconciler.Tests.Reserves.Parsing;

public sealed class CustodianJsonParserTests
{
    [TestCase("""{"custodian":"T","accounts":[]}""", "timestamp is missing")]
    [TestCase("""{"custodian":"T","asOf":"2025-06-30T00:00:00","accounts":[]}""", "UTC offset")]
    [TestCase("""{"custodian":"T","asOf":"2025-06-30T00:00:00Z","accounts":[{"id":"a","assetClass":"gold","currency":"USD","amount":"1","bank":"B"}]}""", "asset class 'gold'")]
    [TestCase("""{"custodian":"T","asOf":"2025-06-30T00:00:00Z","accounts":[{"id":"a","assetClass":"cash","currency":"USD","amount":1e3,"bank":"B"}]}""", "not a plain decimal")]
    [TestCase("not json", "not JSON")]
    public void CustodianJson_Malformed_RefusedWithWhere(string json, string expected) =>
        Assert.That(() => CustodianJsonParser.Parse(Encoding.UTF8.GetBytes(json)), Throws.TypeOf<SnapshotFormatException>().With.Message.Contains(expected));

    [Test]
    public void CustodianJson_NumberAmount_ReadExactlyFromText()
    {
        var parsed = CustodianJsonParser.Parse(Encoding.UTF8.GetBytes(
            """{"custodian":"T","asOf":"2025-06-30T00:00:00+02:00","accounts":[{"id":"a","assetClass":"mmf","currency":"USD","amount":0.1,"bank":"B","daysToLiquidity":1}]}"""));

        Assert.Multiple(() =>
        {
            Assert.That(parsed.Accounts[0].Amount.ToString(), Is.EqualTo("0.1"), "0.1 read through a double would not be 0.1");
            Assert.That(parsed.AsOf, Is.EqualTo(new DateTimeOffset(2025, 6, 29, 22, 0, 0, TimeSpan.Zero)));
        });
    }
}
