using Usd1Reconciler.Core.Ingest;

namespace Usd1Reconciler.Indexing;

/// <summary>
/// The indexers' real cursors, per network, for the progress lines of `index` and the catch-up log of `run`: the
/// indexers report every commit (<see cref="IIndexProgress"/>), <see cref="IndexPassRunner"/> reports the end of each
/// pass. Nothing here is estimated but the rate and the time to go, and those from the cursor's own movement.
/// </summary>
internal sealed class IndexProgressTracker(IReadOnlyDictionary<string, string> unitByNetwork, TimeProvider time) : IIndexProgress
{
    /// <summary>The window rates are measured over: long enough to smooth dense and sparse stretches of chain.</summary>
    public static readonly TimeSpan RateWindow = TimeSpan.FromSeconds(60);

    private readonly Dictionary<string, State> _states = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();

    /// <summary>Raised after each successful pass, outside the tracker's lock, with the network and the pass's result.</summary>
    public event Action<IndexPassResult>? PassSucceeded;

    public void PassStarted(string network, long cursor, long target)
    {
        var now = time.GetUtcNow();
        lock (_gate)
        {
            var state = StateOf(network);
            // A pass restarted after the chain moved keeps measuring; a new pass after a rest starts a new window,
            // or the idle time between passes would count as slowness.
            if (!state.Active)
            {
                state.Window.Clear();
            }

            state.Active = true;
            state.Started = true;
            state.Cursor = cursor;
            state.Target = Math.Max(target, cursor);
            state.Window.Add(now, cursor);
        }
    }

    public void Committed(string network, long cursor, int events)
    {
        var now = time.GetUtcNow();
        lock (_gate)
        {
            var state = StateOf(network);
            state.Cursor = Math.Max(state.Cursor, cursor);
            state.Target = Math.Max(state.Target, state.Cursor);
            state.Events += events;
            state.Window.Add(now, state.Cursor);
        }
    }

    /// <summary>The pass ended (either way). On success the cursor is where it indexed to.</summary>
    public void PassEnded(string network, IndexPassResult? result)
    {
        lock (_gate)
        {
            var state = StateOf(network);
            state.Active = false;
            if (result is not null)
            {
                state.Started = true;
                state.Cursor = Math.Max(state.Cursor, result.IndexedTip);
                state.Target = Math.Max(state.Target, state.Cursor);
            }
        }

        if (result is not null)
        {
            PassSucceeded?.Invoke(result);
        }
    }

    public IndexProgressSnapshot Snapshot(string network)
    {
        var now = time.GetUtcNow();
        lock (_gate)
        {
            var s = StateOf(network);
            return new IndexProgressSnapshot(
                network, s.Unit, s.Cursor, s.Target, s.Events,
                s.Active ? s.Window.PerSecond(now) : null,
                s.Active ? s.Window.TimeToGo(s.Cursor, s.Target, now) : TimeSpan.Zero,
                s.Active, s.Started);
        }
    }

    private State StateOf(string network)
    {
        if (!_states.TryGetValue(network, out var state))
        {
            state = new State(unitByNetwork.GetValueOrDefault(network, "block"));
            _states[network] = state;
        }

        return state;
    }

    private sealed class State(string unit)
    {
        public string Unit { get; } = unit;

        public ProgressWindow Window { get; } = new(RateWindow);

        public long Cursor { get; set; } = -1;

        public long Target { get; set; } = -1;

        public long Events { get; set; }

        public bool Active { get; set; }

        public bool Started { get; set; }
    }
}
