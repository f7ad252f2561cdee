using System.ComponentModel.DataAnnotations;

namespace Usd1Reconciler.Configuration;

/// <summary>
/// A scalar rule that the data annotations of the BCL cannot express (uint256 strings, addresses, durations, cron
/// expressions …). <see cref="OptionsAttributeWalker"/> checks it like <c>[Range]</c> or <c>[Required]</c> and puts
/// the key path in front of <see cref="Problem"/>; on a list or dictionary it judges each element.
/// </summary>
[AttributeUsage(AttributeTargets.Property)]
public abstract class OptionRuleAttribute : ValidationAttribute
{
    /// <summary>False where the value may carry a secret (an RPC URL embeds its API key): the message then leaves it out.</summary>
    public virtual bool ShowsValue => true;

    /// <summary>What is wrong with <paramref name="value"/>, without its key; null when it is fine.</summary>
    public abstract string? Problem(object value);

    /// <summary>An absent value passes: an option that must be given says so with <c>[Required]</c> or in code.</summary>
    public override bool IsValid(object? value) => value is null || Problem(value) is null;
}
