using Usd1Reconciler.Evm.Indexing;

namespace Usd1Reconciler.Tests.Evm.Indexing;

/// <summary>The newest block older than a cutoff, found exactly and in few round trips whatever the chain's pace.</summary>
public sealed class BlockTimeSearchTests
{
    private static readonly DateTimeOffset Genesis = DateTimeOffset.FromUnixTimeSeconds(1_438_269_973);

    [Test]
    public async Task NewestOlderThanAsync_EvenPaceOver20MillionBlocks_ExactInAFewRoundTrips()
    {
        var chain = new Chain(n => Genesis.AddSeconds(12 * n));
        foreach (var answer in new long[] { 6_000_000, 6_000_001, 9_876_543, 19_999_935, 19_999_936 })
        {
            chain.Rounds = 0;
            // Half a block interval after block `answer`: it is the newest one older than the cutoff.
            var found = await BlockTimeSearch.NewestOlderThanAsync(6_000_000, 19_999_936, Genesis.AddSeconds((12 * answer) + 6), chain.ReadAsync, CancellationToken.None);

            Assert.That(found, Is.EqualTo(answer), $"cutoff after block {answer}");
            Assert.That(chain.Rounds, Is.LessThanOrEqualTo(3), $"an even pace is settled by the first interpolated guess (cutoff after block {answer}), not by ~25 bisection steps");
        }
    }

    [Test]
    public async Task NewestOlderThanAsync_IrregularPace_SameAnswerAsAScanWithinTwiceTheBisectionRounds()
    {
        // Stretches of very different pace (a PoW era, a stall, a fast era, equal timestamps) and jitter.
        var random = new Lcg(18);
        var times = new DateTimeOffset[200_001];
        var t = Genesis;
        for (var n = 0; n < times.Length; n++)
        {
            t = t.AddSeconds(n switch
            {
                < 50_000 => random.Next(1, 40),
                50_000 => 86_400 * 30,
                < 120_000 => 12,
                < 120_500 => 0,
                _ => random.Next(0, 3),
            });
            times[n] = t;
        }

        var chain = new Chain(n => times[n]);
        for (var i = 0; i < 200; i++)
        {
            var cutoff = times[random.Next(0, times.Length)].AddSeconds(random.Next(-2, 3));
            chain.Rounds = 0;
            var found = await BlockTimeSearch.NewestOlderThanAsync(1, times.Length - 1, cutoff, chain.ReadAsync, CancellationToken.None);

            var expected = Enumerable.Range(1, times.Length - 1).LastOrDefault(n => times[n] < cutoff, 0);
            Assert.That(found, Is.EqualTo(expected), $"cutoff {cutoff:O}");
            Assert.That(chain.Rounds, Is.LessThanOrEqualTo((2 * 18) + 1), "a guess that does not halve the interval is followed by a bisection step");
        }
    }

    [Test]
    public async Task NewestOlderThanAsync_CutoffOutsideTheBlocks_FirstMinusOneOrLastInOneRound()
    {
        var chain = new Chain(n => Genesis.AddSeconds(12 * n));
        var none = await BlockTimeSearch.NewestOlderThanAsync(100, 200, Genesis.AddSeconds(12 * 100), chain.ReadAsync, CancellationToken.None);
        var all = await BlockTimeSearch.NewestOlderThanAsync(100, 200, Genesis.AddSeconds((12 * 200) + 1), chain.ReadAsync, CancellationToken.None);
        var empty = await BlockTimeSearch.NewestOlderThanAsync(100, 99, Genesis, chain.ReadAsync, CancellationToken.None);

        Assert.That((none, all, empty), Is.EqualTo((99L, 200L, 99L)), "block 100 is not older than its own time; block 200 is older than a second after it; no blocks, nothing older");
        Assert.That(chain.Rounds, Is.EqualTo(2), "both ends come in one batch, and an empty interval reads nothing");
    }

    /// <summary>A fixed pseudo-random sequence (Knuth's MMIX LCG): the same chain and cutoffs every run.</summary>
    private sealed class Lcg(ulong seed)
    {
        private ulong _state = seed;

        /// <summary>A number in [<paramref name="min"/>, <paramref name="max"/>).</summary>
        public int Next(int min, int max)
        {
            _state = (_state * 6364136223846793005UL) + 1442695040888963407UL;
            return min + (int)((_state >> 33) % (ulong)(max - min));
        }
    }

    /// <summary>Block times by number; counts the reads (one per batch, as one round trip).</summary>
    private sealed class Chain(Func<long, DateTimeOffset> time)
    {
        public int Rounds { get; set; }

        public Task<IReadOnlyList<DateTimeOffset>> ReadAsync(long[] blocks, CancellationToken cancellationToken)
        {
            Rounds++;
            return Task.FromResult<IReadOnlyList<DateTimeOffset>>(blocks.Select(time).ToArray());
        }
    }
}
