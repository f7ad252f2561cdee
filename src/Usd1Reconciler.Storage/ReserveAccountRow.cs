using Usd1Reconciler.Core.Amounts;
using Usd1Reconciler.Core.Reserves;

namespace Usd1Reconciler.Storage;

/// <summary>A reserve account row (<c>reserve_accounts</c>) as both providers read it, and its one mapping to <see cref="ReserveAccount"/>.</summary>
internal sealed class ReserveAccountRow
{
    public string AccountId { get; init; } = "";
    public string AssetClass { get; init; } = "";
    public string Currency { get; init; } = "";

    /// <summary>The amount as exact decimal text (PostgreSQL reads its <c>numeric(96,18)</c> as <c>::text</c>).</summary>
    public string Amount { get; init; } = "";

    public string Bank { get; init; } = "";
    public long? DaysToLiquidity { get; init; }

    /// <exception cref="StoreSchemaException">The stored asset class is not one this build knows.</exception>
    public ReserveAccount ToAccount() => new(
        AccountId,
        AssetClassNames.TryParse(AssetClass, out var assetClass) ? assetClass : throw new StoreSchemaException($"unknown asset class '{AssetClass}' in the store"),
        Currency,
        UsdAmount.Parse(TrimScale(Amount)),
        Bank,
        DaysToLiquidity is { } days ? (int)days : null);

    // numeric(96,18) reads back with all 18 decimals ("12.500000000000000000"); the value is the same without the
    // zeros. SQLite keeps UsdAmount's own text, which has none to trim.
    private static string TrimScale(string text) => text.Contains('.', StringComparison.Ordinal) ? text.TrimEnd('0').TrimEnd('.') : text;
}
