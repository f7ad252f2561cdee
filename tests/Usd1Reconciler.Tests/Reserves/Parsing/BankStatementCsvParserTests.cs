using System.Text;
using Usd1Reconciler.Core.Reserves;
using Usd1Reconciler.Reserves.Parsing;

namespace Usd1Reconciler.Tests.Reserves.Parsing;

[TestFixture]
public sealed class BankStatementCsvParserTests
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
}
