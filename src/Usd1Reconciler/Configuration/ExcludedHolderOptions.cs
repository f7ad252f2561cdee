using System.ComponentModel.DataAnnotations;

namespace Usd1Reconciler.Configuration;

/// <summary>A holder whose balance is not circulating: issuer treasury, unissued inventory, a bridge lock box.</summary>
public sealed class ExcludedHolderOptions
{
    /// <summary>Required. EVM: the holder's address. Solana: the SPL token account (not the wallet that owns it).</summary>
    public string Address { get; set; } = string.Empty;

    /// <summary>Required: what it is ("treasury", "bridge escrow to base"); shown in reports.</summary>
    [Required(ErrorMessage = "required (treasury, unissued, bridge escrow …)")]
    public string Label { get; set; } = string.Empty;
}
