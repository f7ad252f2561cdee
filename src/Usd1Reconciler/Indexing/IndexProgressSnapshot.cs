using System.Globalization;
using Usd1Reconciler.Core.Presentation;

namespace Usd1Reconciler.Indexing;

/// <summary>Where one network's indexing stands, read from <see cref="IndexProgressTracker"/> at one instant.</summary>
/// <param name="Network">The configured network name.</param>
/// <param name="Unit">"block" (EVM) or "slot" (Solana).</param>
/// <param name="Cursor">The block/slot the store has committed through.</param>
/// <param name="Target">The head the current (or last) pass indexes to.</param>
/// <param name="Events">Events stored since this process started indexing the network.</param>
/// <param name="PerSecond">Blocks/slots per second over the recent window; null until measurable.</param>
/// <param name="TimeToGo">At that rate, until the target; null when the rate is unknown or zero.</param>
/// <param name="Active">A pass is running.</param>
/// <param name="Started">At least one pass has started (a cursor and target are known).</param>
internal sealed record IndexProgressSnapshot(
    string Network,
    string Unit,
    long Cursor,
    long Target,
    long Events,
    double? PerSecond,
    TimeSpan? TimeToGo,
    bool Active,
    bool Started)
{
    /// <summary>Behind the head of the running pass: the catch-up worth showing.</summary>
    public bool CatchingUp => Active && Cursor < Target;

    /// <summary>"network ethereum: block 1200 of 5000, 37 events, 42.5 blocks/s, ETA 32 s" (whole blocks/s from 100 on).</summary>
    public string Describe()
    {
        if (!Started)
        {
            return $"network {Network}: starting";
        }

        if (!Active)
        {
            return string.Create(CultureInfo.InvariantCulture, $"network {Network}: {Unit} {Cursor}, {Events} events, between passes");
        }

        var rate = PerSecond is { } r ? r.ToString(r >= 100 ? "F0" : "F1", CultureInfo.InvariantCulture) : "–";
        var eta = TimeToGo is { } t ? Duration(t) : "–";
        return string.Create(CultureInfo.InvariantCulture,
            $"network {Network}: {Unit} {Cursor} of {Target}, {Events} events, {rate} {Unit}s/s, ETA {eta}");
    }

    /// <summary>
    /// The shared people format (<see cref="DurationText"/>: `45 s`, `3 min 20 s`, `2 h 5 min`), of the span rounded up
    /// to a whole second: an ETA that says `0 s` while work remains would be a promise the indexer cannot keep.
    /// </summary>
    internal static string Duration(TimeSpan span) => DurationText.Format(TimeSpan.FromSeconds(Math.Ceiling(span.TotalSeconds)));
}
