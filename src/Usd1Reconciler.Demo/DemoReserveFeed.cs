using System.Globalization;
using System.Numerics;
using System.Text.Json;

namespace Usd1Reconciler.Demo;

/// <summary>
/// The demo's custodian: a custodian-JSON statement file (the format CustodianJsonParser reads) rewritten with a fresh
/// as-of time every few seconds, holding 103 % of the backed supply — 35 % cash at one bank, the rest in T-bills at
/// another. During a feed outage it stops rewriting, so its snapshot ages past the feed's freshness budget.
/// </summary>
internal sealed class DemoReserveFeed(string path, TimeProvider time)
{
    public const string Custodian = "Demo Trust Co.";

    private const int Decimals = 6;

    public string Path { get; } = path;

    /// <summary>True while the feed-outage incident is on.</summary>
    public bool Paused { get; set; }

    public DateTimeOffset? LastWrittenAt { get; private set; }

    /// <summary>Total reserves last written, in token base units (6 decimals).</summary>
    public BigInteger LastReserves { get; private set; }

    /// <param name="backedSupply">Σ supply of every network less what the issuer never received money for, base units.</param>
    public async Task WriteAsync(BigInteger backedSupply, CancellationToken cancellationToken)
    {
        if (Paused)
        {
            return;
        }

        var reserves = backedSupply * 103 / 100;
        var cash = reserves * 35 / 100;
        var asOf = time.GetUtcNow();
        var document = new
        {
            custodian = Custodian,
            asOf = asOf.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
            attestation = "usd1rec-demo: generated from the local devnets' supply",
            accounts = new object[]
            {
                new { id = "operating-cash", assetClass = "cash", currency = "USD", amount = Usd(cash), bank = "First Demo Bank", daysToLiquidity = 0 },
                new { id = "tbill-ladder", assetClass = "tbills", currency = "USD", amount = Usd(reserves - cash), bank = "Demo Custody Bank", daysToLiquidity = 30 },
            },
        };
        // Written beside the target and renamed over it, so the poller never reads half a statement.
        var temporary = Path + ".tmp";
        await File.WriteAllTextAsync(temporary, JsonSerializer.Serialize(document), cancellationToken);
        File.Move(temporary, Path, overwrite: true);
        LastWrittenAt = asOf;
        LastReserves = reserves;
    }

    /// <summary>Base units of a 6-decimal token as exact decimal USD text (one token = one dollar).</summary>
    public static string Usd(BigInteger baseUnits)
    {
        var whole = BigInteger.DivRem(baseUnits, BigInteger.Pow(10, Decimals), out var fraction);
        return $"{whole.ToString(CultureInfo.InvariantCulture)}.{fraction.ToString(CultureInfo.InvariantCulture).PadLeft(Decimals, '0')}";
    }
}
