namespace Usd1Reconciler.Storage;

/// <summary>A stored reorg not yet screened, as each provider reads it, for <see cref="AnomalyRecording.ScreenReorgsAsync"/>.</summary>
internal sealed record UnscreenedReorg(
    long Id, string Network, long CommonAncestor, int Depth, string OldTip, string NewTip, long EventsRemoved, DateTimeOffset DetectedAt);
