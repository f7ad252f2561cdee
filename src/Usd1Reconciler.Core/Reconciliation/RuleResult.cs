using Usd1Reconciler.Core.Amounts;

namespace Usd1Reconciler.Core.Reconciliation;

/// <summary>One rule's outcome.</summary>
/// <param name="Rule">coverage, liquidity or concentration.</param>
/// <param name="Shortfall">What is missing for the rule to hold (coverage, liquidity) or the amount above the limit (concentration); zero when it holds.</param>
/// <param name="Detail">One line a person can act on.</param>
public sealed record RuleResult(string Rule, bool Passed, UsdAmount Shortfall, string Detail);
