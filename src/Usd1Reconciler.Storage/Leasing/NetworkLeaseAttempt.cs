namespace Usd1Reconciler.Storage.Leasing;

/// <summary>The outcome of an attempt to take a network's lease, or the lease as read.</summary>
/// <param name="Acquired">This instance holds it now (for a read: the lease is unexpired).</param>
/// <param name="Token">The fencing token of the current tenure (this instance's when acquired).</param>
/// <param name="Holder">The instance holding it.</param>
/// <param name="Remaining">How long the current tenure still runs in database time (0 when expired).</param>
public sealed record NetworkLeaseAttempt(bool Acquired, long Token, string Holder, TimeSpan Remaining);
