using System.Text;
using Usd1Reconciler.Core.Reserves;
using Usd1Reconciler.Reserves.Parsing;

namespace Usd1Reconciler.Tests.Reserves.Parsing;

[TestFixture]
public sealed class ParserTests
{
    [Test]
    public void BankStatementCsv_QuotedFieldsAndHeaderOrder_Parsed()
    {
        var csv = "account_id,custodian,as_of,asset_class,currency,amount,bank,days_to_liquidity,attestation\r\n" +
                  "op-1,Trust Co,2025-06-30T00:00:00Z,cash,usd,\"1250000.25\",\"Bank, N.A.\",0,stmt-42\r\n" +
                  "tb-1,Trust Co,2025-06-30T00:00:00Z,tbills,USD,500000,Bank B,3,stmt-42\r\n";

        var parsed = BankStatementCsvParser.Parse(Encoding.UTF8.GetBytes(csv));

        Assert.Multiple(() =>
        {
            Assert.That(parsed.Custodian, Is.EqualTo("Trust Co"));
            Assert.That(parsed.Attestation, Is.EqualTo("stmt-42"));
            Assert.That(parsed.Accounts.Select(a => (a.AccountId, a.AssetClass, a.Currency, a.Amount.ToString(), a.Bank, a.DaysToLiquidity)), Is.EqualTo(new[]
            {
                ("op-1", AssetClass.Cash, "USD", "1250000.25", "Bank, N.A.", (int?)0),
                ("tb-1", AssetClass.TreasuryBills, "USD", "500000", "Bank B", (int?)3),
            }));
        });
    }

    [Test]
    public void BankStatementCsv_TwoStatementsInOneFile_Refused()
    {
        var csv = "custodian,as_of,account_id,asset_class,currency,amount,bank,days_to_liquidity\n" +
                  "A,2025-06-30T00:00:00Z,1,cash,USD,1,B,0\nA,2025-07-01T00:00:00Z,2,cash,USD,1,B,0\n";

        Assert.That(() => BankStatementCsvParser.Parse(Encoding.UTF8.GetBytes(csv)), Throws.TypeOf<SnapshotFormatException>().With.Message.Contains("one file is one statement"));
    }

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
