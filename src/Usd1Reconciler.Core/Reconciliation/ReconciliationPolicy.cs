namespace Usd1Reconciler.Core.Reconciliation;

/// <summary>The thresholds of the reconciliation rules, all in basis points (1 bps = 0.01 %).</summary>
/// <param name="MinimumCoverageBps">Reserves must be at least this share of circulating supply (10000 = 100 %).</param>
/// <param name="LiquidityDays">Accounts that turn into cash within this many days count as liquid.</param>
/// <param name="LiquidityShareBps">Liquid reserves must be at least this share of circulating supply (the stress outflow).</param>
/// <param name="MaxConcentrationBps">No custodian and no bank may hold more than this share of total reserves.</param>
/// <param name="Calendar">When set, an account's daysToLiquidity counts business days under it (see <see cref="Redemptions.BusinessCalendar"/>); null counts calendar days (reports before issue 17).</param>
public sealed record ReconciliationPolicy(long MinimumCoverageBps, int LiquidityDays, long LiquidityShareBps, long MaxConcentrationBps, Redemptions.BusinessCalendar? Calendar = null);
