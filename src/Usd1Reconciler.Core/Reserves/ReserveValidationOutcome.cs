namespace Usd1Reconciler.Core.Reserves;

/// <summary>What <see cref="ReserveSnapshotValidator"/> decided; <see cref="Reason"/> is set for rejections only.</summary>
public sealed record ReserveValidationOutcome(ReserveValidationDecision Decision, string? Reason)
{
    public static ReserveValidationOutcome Accept { get; } = new(ReserveValidationDecision.Accept, null);

    public static ReserveValidationOutcome Unchanged { get; } = new(ReserveValidationDecision.Unchanged, null);

    public static ReserveValidationOutcome Reject(string reason) => new(ReserveValidationDecision.Reject, reason);
}
