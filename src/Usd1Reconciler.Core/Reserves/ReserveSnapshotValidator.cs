namespace Usd1Reconciler.Core.Reserves;

/// <summary>
/// Decides whether a parsed, authenticated snapshot may replace the one in force. Pure: the caller stores the outcome.
/// Case list (first failure wins, each with a reason that names the account or the times involved):
/// no accounts; negative amount; currency other than USD; duplicate account id; as-of time later than now plus the
/// allowed clock skew; as-of not newer than the snapshot in force (a replay of an older document, or a different
/// document claiming the same as-of time).
/// </summary>
public static class ReserveSnapshotValidator
{
    public static ReserveValidationOutcome Validate(ReserveSnapshot candidate, ReserveSnapshot? inForce, DateTimeOffset now, TimeSpan maxClockSkew)
    {
        ArgumentNullException.ThrowIfNull(candidate);
        if (inForce is not null && inForce.AsOf == candidate.AsOf
            && string.Equals(inForce.ContentSha256, candidate.ContentSha256, StringComparison.Ordinal))
        {
            // Polling again before the custodian publishes returns the same document: nothing new, nothing wrong.
            return ReserveValidationOutcome.Unchanged;
        }

        if (candidate.Accounts.Count == 0)
        {
            return ReserveValidationOutcome.Reject("validation: the snapshot lists no accounts");
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var account in candidate.Accounts)
        {
            if (account.Amount.Sign < 0)
            {
                return ReserveValidationOutcome.Reject($"validation: account '{account.AccountId}' has a negative amount {account.Amount}");
            }

            if (!string.Equals(account.Currency, "USD", StringComparison.Ordinal))
            {
                return ReserveValidationOutcome.Reject($"validation: account '{account.AccountId}' is in '{account.Currency}', not USD");
            }

            if (!seen.Add(account.AccountId))
            {
                return ReserveValidationOutcome.Reject($"validation: account '{account.AccountId}' appears more than once");
            }

            if (account.DaysToLiquidity is < 0)
            {
                return ReserveValidationOutcome.Reject($"validation: account '{account.AccountId}' has negative days to liquidity");
            }
        }

        if (candidate.AsOf > now + maxClockSkew)
        {
            return ReserveValidationOutcome.Reject(
                $"validation: as-of {candidate.AsOf:O} is in the future (now {now:O}, allowed skew {maxClockSkew})");
        }

        if (inForce is not null && candidate.AsOf <= inForce.AsOf)
        {
            return ReserveValidationOutcome.Reject(candidate.AsOf == inForce.AsOf
                ? $"replay: as-of {candidate.AsOf:O} equals that of snapshot {inForce.Id} but the content differs"
                : $"replay: as-of {candidate.AsOf:O} is older than snapshot {inForce.Id} in force (as of {inForce.AsOf:O})");
        }

        return ReserveValidationOutcome.Accept;
    }
}
