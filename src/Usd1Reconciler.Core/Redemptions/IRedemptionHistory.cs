namespace Usd1Reconciler.Core.Redemptions;

/// <summary>Reads the hourly aggregates of final supply events a store keeps (issue 17); never a rescan of events.</summary>
public interface IRedemptionHistory
{
    /// <summary>Hourly aggregates of every network from the hour of <paramref name="since"/> on, oldest first.</summary>
    Task<IReadOnlyList<RedemptionHour>> GetRedemptionHoursAsync(DateTimeOffset since, CancellationToken cancellationToken);
}
