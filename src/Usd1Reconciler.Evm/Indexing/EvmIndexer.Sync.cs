using Microsoft.Extensions.Logging;
using Usd1Reconciler.Core.Ingest;
using Usd1Reconciler.Core.Supply;
using Usd1Reconciler.Evm.Decoding;
using Usd1Reconciler.Evm.Rpc;
using Usd1Reconciler.JsonRpc;

namespace Usd1Reconciler.Evm.Indexing;

public sealed partial class EvmIndexer
{
    /// <summary>
    /// Checks the stored tip against the chain; on a fork walks back through the stored headers to the common ancestor
    /// and rolls back in one transaction. Returns whether a reorg was followed.
    /// </summary>
    private async Task<bool> FollowForkAsync(long networkId, long head, CancellationToken cancellationToken)
    {
        var tip = await _store.GetTipAsync(networkId, cancellationToken);
        if (tip is null || tip.Id.Length == 0)
        {
            return false;
        }

        var probe = Math.Min(tip.Number, head);
        var revealing = await _rpc.eth_getBlockByNumber(probe, cancellationToken)
            ?? throw new ChainMovedException($"block {probe} vanished below head {head}");
        if (probe == tip.Number && revealing.Hash == tip.Id)
        {
            return false;
        }

        if (probe < tip.Number && await _store.GetBlockAsync(networkId, probe, cancellationToken) is { } storedAtHead && storedAtHead.Hash == revealing.Hash)
        {
            // The endpoint's head is below our tip but on our chain: it is behind, not forked. Rolling back here would
            // record a false reorg; the blocks above its head are checked again once it (or another endpoint) is ahead.
            _logger.LogInformation("network {Network}: the node's head {Head} is behind the indexed tip {Tip} on the same chain; nothing to do this pass", Network, head, tip.Number);
            return false;
        }

        var finalBlock = await _store.GetFinalBlockAsync(networkId, cancellationToken);
        var number = probe;
        var chain = revealing;
        long ancestor;
        string ancestorId;
        while (true)
        {
            var stored = await _store.GetBlockAsync(networkId, number, cancellationToken);
            if (stored is null)
            {
                if (number < _settings.StartBlock)
                {
                    // The fork reaches below the first indexed block: start that stretch over from scratch.
                    ancestor = _settings.StartBlock - 1;
                    ancestorId = string.Empty;
                    break;
                }

                throw new DeepReorganizationException(Network, finalBlock, number, "(not kept)", chain.Hash);
            }

            if (stored.Hash == chain.Hash)
            {
                ancestor = number;
                ancestorId = stored.Hash;
                break;
            }

            if (number <= finalBlock)
            {
                throw new DeepReorganizationException(Network, finalBlock, number, stored.Hash, chain.Hash);
            }

            number--;
            if (number >= _settings.StartBlock)
            {
                chain = await _rpc.eth_getBlockByNumber(number, cancellationToken)
                    ?? throw new ChainMovedException($"block {number} vanished below head {head}");
            }
        }

        var depth = (int)(tip.Number - ancestor);
        var reorg = new ChainReorganization(networkId, ancestor, ancestorId, depth, tip.Id, revealing.Hash, _time.GetUtcNow(), []);
        var removed = await _store.RollBackAsync(reorg, cancellationToken);
        _logger.LogWarning(
            "network {Network}: reorg of depth {Depth} at block {Block}: tip {OldTip} replaced, common ancestor {Ancestor}; {Removed} provisional events removed and will be re-indexed",
            Network, depth, tip.Number, tip.Id, ancestor, removed);
        return true;
    }

    /// <summary>
    /// Indexes from the stored tip to <paramref name="head"/> in adaptive ranges. Up to <see cref="_rangesInFlight"/>
    /// ranges are fetched, checked and decoded at once, but they commit one by one in chain order, each in its own
    /// transaction and each only after its first block is seen to link onto the tip committed just before it (where
    /// that tip's hash was read, see <see cref="GetHeadersAsync"/>) — so the store moves exactly as in a sequential
    /// walk, just without waiting for the node between commits. A commit runs beside the fetches: while it does, and
    /// while the head of the window is still awaited, answered ranges make room for new ones, so a request budget is
    /// kept in use (issue 18.3). What the window holds is bounded by bytes (<see cref="RangeWindow"/>).
    /// </summary>
    private async Task<int> CatchUpAsync(long networkId, long head, long finalTarget, CancellationToken cancellationToken)
    {
        var tip = await _store.GetTipAsync(networkId, cancellationToken);
        var next = tip is null ? _settings.StartBlock : tip.Number + 1;
        var previousHash = tip?.Id ?? string.Empty;
        // The first range links onto the stored tip when its hash is known; later ranges link onto the range before.
        var linkFrom = previousHash.Length > 0 ? next : long.MinValue;
        var added = 0;
        _progress.PassStarted(Network, next - 1, head);
        var window = new LinkedList<PendingRange>();
        var generation = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        Task? commit = null;
        (PendingRange Range, FetchedRange Fetched)? committing = null;
        PendingRange Start(long from, long to, bool splitPiece = false) =>
            new(from, to, FetchRangeAsync(from, to, finalTarget, from == linkFrom, generation.Token), splitPiece);
        try
        {
            while (window.Count > 0 || next <= head || commit is not null)
            {
                // Until one answer has shown how dense this stretch of chain is, one range at a time: ranges sized
                // blind and fetched together would all come back at the size the first one proves too large.
                LearnFromAnswers(window, Start);
                while (next <= head && (_ranges.Calibrated || (window.Count == 0 && commit is null)) && MayStart(window, committing?.Fetched))
                {
                    var to = Math.Min(head, next + _ranges.Size - 1);
                    window.AddLast(Start(next, to));
                    next = to + 1;
                }

                if (commit is not null)
                {
                    if (!commit.IsCompleted)
                    {
                        // Wake when the commit ends or a fetch lands (a place in flight to refill).
                        await Task.WhenAny(window.Select(r => r.Fetch).Where(f => !f.IsCompleted).Append(commit));
                        continue;
                    }

                    await commit;
                    commit = null;
                    var (done, result) = committing!.Value;
                    committing = null;
                    added += result.Events.Count;
                    _progress.Committed(Network, done.To, result.Events.Count);
                    previousHash = result.NewTip.Id;
                    continue;
                }

                var pending = window.First!.Value;
                if (!pending.Fetch.IsCompleted)
                {
                    await Task.WhenAny(window.Select(r => r.Fetch).Where(f => !f.IsCompleted));
                    continue;
                }

                if (!pending.Learned)
                {
                    // Landed after this round's LearnFromAnswers: a limit it hit is split there, not thrown here.
                    continue;
                }

                FetchedRange fetched;
                try
                {
                    fetched = await pending.Fetch;
                }
                catch (JsonRpcErrorException ex) when (ProviderErrors.SaysChainMoved(ex.Code, ex.RpcMessage))
                {
                    // Not a limit: the node's head is below the range (a reorg to a shorter chain). Start the pass over.
                    throw new ChainMovedException($"{ex.Method} {pending.From}-{pending.To}: {ex.RpcMessage}");
                }

                window.RemoveFirst();
                CheckLinksOntoTip(pending, fetched, previousHash, finalTarget);
                var batch = fetched.Batch(networkId, _time.GetUtcNow());
                committing = (pending, fetched);
                // On the thread pool: a store whose commit runs synchronously must not hold up the refill above.
                commit = Task.Run(() => _store.CommitBatchAsync(batch, cancellationToken), cancellationToken);
            }
        }
        finally
        {
            if (commit is not null)
            {
                try
                {
                    await commit;
                }
                catch (Exception)
                {
                    // The pass fails for the reason already thrown; a commit that failed too has rolled back.
                }
            }

            await DrainAsync(window, generation);
            generation.Dispose();
        }

        return added;
    }

    /// <summary>
    /// Sizes later ranges from every answer as soon as it lands, in whatever order (not when its range reaches the head
    /// of the window): ranges started meanwhile then get the freshest size, and a range that hit a provider limit is
    /// split in its place at once — its halves are asked while the ranges before it are still awaited. A single block
    /// that hit a limit is asked once more while the size is above one, as before. Other failures are left for the
    /// head of the window, where they end the pass in chain order.
    /// </summary>
    private void LearnFromAnswers(LinkedList<PendingRange> window, Func<long, long, bool, PendingRange> start)
    {
        for (var node = window.First; node is not null;)
        {
            var range = node.Value;
            var following = node.Next;
            if (range.Learned || !range.Fetch.IsCompleted)
            {
                node = following;
                continue;
            }

            range.Learned = true;
            var blocks = (int)(range.To - range.From + 1);
            if (range.Fetch.IsCompletedSuccessfully)
            {
                _ranges.OnSuccess(blocks, range.Fetch.Result.LogCount);
                _bytesPerBlock = (double)range.Fetch.Result.ReplyBytes / blocks;
            }
            else if (range.Fetch.Exception?.InnerException is { } ex && LogRangeSizer.IsRangeLimit(ex) && (range.To > range.From || _ranges.Size > 1))
            {
                // Only this range is too large: it is fetched again as two halves, in its place; the ranges around it
                // were already asked for and stand or fall on their own answers.
                _ranges.OnLimit(blocks, range.SplitPiece);
                var middle = range.From + ((range.To - range.From) / 2);
                _logger.LogInformation("network {Network}: eth_getLogs {From}-{To} hit a provider limit ({Reason}); split at {Middle}, ranges now {Size} blocks", Network, range.From, range.To, ex.Message, middle, _ranges.Size);
                window.AddBefore(node, start(range.From, middle, true));
                if (middle < range.To)
                {
                    window.AddBefore(node, start(middle + 1, range.To, true));
                }

                window.Remove(node);
            }

            node = following;
        }
    }

    /// <summary>
    /// Whether the window has room for one more range: ranges in flight each count the weight the last answer's
    /// density gives a range of the current size; fetched ones (and the one committing) what they weighed.
    /// </summary>
    private bool MayStart(LinkedList<PendingRange> window, FetchedRange? committing)
    {
        var inFlight = 0;
        var fetched = committing is null ? 0 : 1;
        var fetchedBytes = committing?.ReplyBytes ?? 0;
        foreach (var range in window)
        {
            if (!range.Fetch.IsCompleted)
            {
                inFlight++;
            }
            else
            {
                fetched++;
                fetchedBytes += range.Fetch.IsCompletedSuccessfully ? range.Fetch.Result.ReplyBytes : 0;
            }
        }

        var expected = (long)Math.Min(_ranges.Size * _bytesPerBlock, _window.MaxBytesHeld);
        return _window.MayStart(inFlight, fetched, fetchedBytes, expected);
    }

    /// <summary>
    /// A range links onto the tip committed before it where its first header was read: always for unfinal blocks (every
    /// unfinal header is read), and for the first range of a pass. A final range started ahead of its predecessor reads
    /// no header and needs none — final blocks are not replaced — even when the range before it happened to read its
    /// end (a one-block range left by splits at provider limits).
    /// </summary>
    private void CheckLinksOntoTip(PendingRange pending, FetchedRange fetched, string previousHash, long finalTarget)
    {
        if (previousHash.Length > 0 && fetched.Headers.TryGetValue(pending.From, out var first))
        {
            if (first.ParentHash != previousHash)
            {
                throw new ChainMovedException($"block {pending.From} has parent {first.ParentHash}, not the stored tip {previousHash}");
            }
        }
        else if (previousHash.Length > 0 && pending.From >= finalTarget)
        {
            throw new InvalidOperationException($"network '{Network}': unfinal block {pending.From} was not read, so it cannot be linked onto the tip {previousHash}");
        }
    }

    /// <summary>Cancels and awaits the ranges still in flight; their outcome no longer matters.</summary>
    private static async Task DrainAsync(LinkedList<PendingRange> window, CancellationTokenSource generation)
    {
        await generation.CancelAsync();
        foreach (var abandoned in window)
        {
            try
            {
                await abandoned.Fetch;
            }
            catch (Exception)
            {
                // Cancelled or failed after the pass gave it up: nothing of it was committed.
            }
        }

        window.Clear();
    }

    /// <summary>One range, fetched and checked on its own (everything but the link to the tip before it, which only the commit order can check) and decoded.</summary>
    /// <param name="linkToTip">Whether the range starts right above a stored tip whose hash is known: then its first header is read, to check the link.</param>
    private async Task<FetchedRange> FetchRangeAsync(long from, long to, long finalTarget, bool linkToTip, CancellationToken cancellationToken)
    {
        // Headers first, then logs. A fork between the two reads leaves either a log whose blockHash differs from its
        // header (caught below) or stored headers of the abandoned chain, which the next pass's tip check rolls back.
        // The other order could store the new chain's headers with the old chain's logs: a block that gained logs in
        // the fork would then be missed for good, its header matching the chain.
        var headers = await GetHeadersAsync(from, to, finalTarget, linkToTip, cancellationToken);
        // A single block cannot be split, so it is read whole however many logs it holds.
        var maxLogs = to > from ? LogRangeSizer.MaxLogsPerReply : int.MaxValue;
        var logs = await _rpc.eth_getLogs(_token, LogTopics, from, to, cancellationToken, maxLogs);
        CheckLinks(from, to, headers, logs);

        var times = headers.Values.ToDictionary(h => h.Number, h => h.Timestamp);
        AddLogBlockTimes(logs, times);
        await AddMissingBlockTimesAsync(logs, times, finalTarget, cancellationToken);
        var events = Erc20SupplyDecoder.Decode(logs, times);
        var governance = GovernanceLogDecoder.Decode(Network, logs, times, _settings.DeclaredEvents);
        // Unfinal headers, the tip, and the final block's own header: the anchor the endpoint check compares every
        // endpoint with (without it a node on another fork could only be told apart once it reached the unfinal part).
        var keep = headers.Values
            .Where(h => h.Number >= finalTarget || h.Number == to)
            .OrderBy(h => h.Number)
            .Select(h => new BlockHeader(h.Number, h.Hash, h.ParentHash, h.Timestamp))
            .ToList();
        var tip = new ChainTip(to, headers.TryGetValue(to, out var end) ? end.Hash : string.Empty);
        return new FetchedRange(headers, events, governance, keep, tip, logs.Count, RangeWindow.Weigh(logs), to <= finalTarget ? to : null);
    }

    /// <summary>
    /// Block times the logs carry themselves (<see cref="EvmLog.BlockTimestamp"/>, sent by nodes that have it): each
    /// comes with the log's block hash, like the log, so it is the time of the block the log is from and spares that
    /// block's header read. A log whose time disagrees with its block's header or with another log of the block is a
    /// broken reply, not a reorg (the hashes agree), and fails the range.
    /// </summary>
    private void AddLogBlockTimes(IReadOnlyList<EvmLog> logs, Dictionary<long, DateTimeOffset> times)
    {
        foreach (var log in logs)
        {
            if (log.BlockTimestamp is not { } stamp)
            {
                continue;
            }

            if (!times.TryAdd(log.BlockNumber, stamp) && times[log.BlockNumber] != stamp)
            {
                throw new RpcProtocolException("eth_getLogs", _rpc.Transport.PreferredEndpoint.Label,
                    $"log {log.LogIndex} of tx {log.TransactionHash} says block {log.BlockNumber} has time {stamp:O}, but the block's header or another of its logs says {times[log.BlockNumber]:O}");
            }
        }
    }

    /// <summary>
    /// Block times of the blocks that hold logs but whose header this range did not read (blocks below the final
    /// target, see <see cref="GetHeadersAsync"/>). An event without a block time is in no redemption window (issue 17),
    /// so a backfill, a catch-up after downtime or Confirmations 0 would otherwise leave burns out of the windows and
    /// hide a surge. Only blocks with logs are read, in batches; each header must carry its logs' block hash. Blocks
    /// older than <see cref="EvmNetworkSettings.BlockTimeHorizon"/> are in no window, so they read nothing: on a
    /// rate-limited provider a header per block with logs would cost more than the logs themselves.
    /// </summary>
    private async Task AddMissingBlockTimesAsync(IReadOnlyList<EvmLog> logs, Dictionary<long, DateTimeOffset> times, long finalTarget, CancellationToken cancellationToken)
    {
        var missing = logs.Where(l => !times.ContainsKey(l.BlockNumber)).GroupBy(l => l.BlockNumber).ToDictionary(g => g.Key, g => g.First().BlockHash);
        if (missing.Count == 0)
        {
            return;
        }

        if (_settings.BlockTimeHorizon is not null)
        {
            var oldThrough = await OldThroughAsync(finalTarget, cancellationToken);
            foreach (var old in missing.Keys.Where(n => n <= oldThrough).ToList())
            {
                missing.Remove(old);
            }
        }

        foreach (var chunk in missing.Keys.Order().Chunk(_rpc.Transport.MaxBatchSize(HeadersPerBatch)))
        {
            var blocks = await _rpc.GetBlocksAsync(chunk, cancellationToken);
            for (var i = 0; i < chunk.Length; i++)
            {
                var block = blocks[i] ?? throw new ChainMovedException($"block {chunk[i]} is no longer on the chain");
                if (!string.Equals(block.Hash, missing[chunk[i]], StringComparison.OrdinalIgnoreCase))
                {
                    throw new ChainMovedException($"block {chunk[i]} is {block.Hash}, but its logs came from {missing[chunk[i]]}");
                }

                times[chunk[i]] = block.Timestamp;
            }
        }
    }

    /// <summary>
    /// The newest block at or below <paramref name="finalTarget"/> older than the block-time horizon (StartBlock − 1 if
    /// none), found once by <see cref="BlockTimeSearch"/> (a few round trips where a bisection over 20M blocks took ~25) and kept: block times only grow with the
    /// number, and a block once older than the horizon stays older, so the kept answer only errs towards reading more.
    /// Ranges in flight share the one search.
    /// </summary>
    private Task<long> OldThroughAsync(long finalTarget, CancellationToken cancellationToken)
    {
        lock (_horizonGate)
        {
            if (_oldThrough is null || _oldThrough.IsFaulted || _oldThrough.IsCanceled)
            {
                _oldThrough = SearchOldThroughAsync(finalTarget, cancellationToken);
            }

            return _oldThrough;
        }
    }

    private Task<long> SearchOldThroughAsync(long finalTarget, CancellationToken cancellationToken) =>
        BlockTimeSearch.NewestOlderThanAsync(_settings.StartBlock, finalTarget, _time.GetUtcNow() - _settings.BlockTimeHorizon!.Value, ReadTimesAsync, cancellationToken);

    private async Task<IReadOnlyList<DateTimeOffset>> ReadTimesAsync(long[] numbers, CancellationToken cancellationToken)
    {
        var blocks = await _rpc.GetBlocksAsync(numbers, cancellationToken);
        var times = new DateTimeOffset[numbers.Length];
        for (var i = 0; i < numbers.Length; i++)
        {
            times[i] = (blocks[i] ?? throw new ChainMovedException($"block {numbers[i]} is no longer on the chain")).Timestamp;
        }

        return times;
    }

    /// <param name="SplitPiece">A half of a range that hit a provider limit (see <see cref="LogRangeSizer.OnLimit"/>).</param>
    private sealed record PendingRange(long From, long To, Task<FetchedRange> Fetch, bool SplitPiece)
    {
        /// <summary>Whether its outcome has sized the ranges after it (see <see cref="LearnFromAnswers"/>).</summary>
        public bool Learned { get; set; }
    }

    /// <param name="ReplyBytes">What the range's logs weighed in their reply (<see cref="RangeWindow.Weigh"/>): what the window counts it as holding.</param>
    /// <param name="FinalThrough">The range's last block when the whole range is at or below the final target: its events are final as they commit.</param>
    private sealed record FetchedRange(
        Dictionary<long, EvmBlock> Headers, IReadOnlyList<SupplyEvent> Events, IReadOnlyList<Core.Governance.GovernanceChange> Governance, List<BlockHeader> Keep, ChainTip NewTip, int LogCount, long ReplyBytes, long? FinalThrough)
    {
        public IndexedBatch Batch(long networkId, DateTimeOffset at) => new(networkId, Events, Keep, NewTip, at) { FinalThrough = FinalThrough, GovernanceChanges = Governance };
    }

    /// <summary>
    /// The headers a range needs, fetched in batches: every block from the final target (or the range's start, if
    /// later) to its end — the unfinal ones are stored linked parentHash ⇒ hash for the reorg walk, and the final
    /// target's own is the anchor the endpoint check compares every endpoint with — plus the first block when the
    /// range starts right above a stored tip with a known hash (<paramref name="linkToTip"/>), to check the link.
    /// A range wholly below the final target reads no header at all: its blocks can no longer be reorganised (a fork
    /// there is a deep reorg, which the endpoint check and the stored anchor catch), its logs carry their own block
    /// hashes, and its end is stored as a tip without a hash, which the next range does not link onto. During a
    /// backfill that is one eth_getLogs per range and, until the final target, headers only of the blocks that hold
    /// logs, for their block times (<see cref="AddMissingBlockTimesAsync"/>).
    /// </summary>
    private async Task<Dictionary<long, EvmBlock>> GetHeadersAsync(long from, long to, long finalTarget, bool linkToTip, CancellationToken cancellationToken)
    {
        var numbers = new SortedSet<long>();
        if (linkToTip)
        {
            numbers.Add(from);
        }

        for (var n = Math.Max(from, finalTarget); n <= to; n++)
        {
            numbers.Add(n);
        }

        var headers = new Dictionary<long, EvmBlock>(numbers.Count);
        foreach (var chunk in numbers.Chunk(_rpc.Transport.MaxBatchSize(HeadersPerBatch)))
        {
            var blocks = await _rpc.GetBlocksAsync(chunk, cancellationToken);
            for (var i = 0; i < chunk.Length; i++)
            {
                headers[chunk[i]] = blocks[i] ?? throw new ChainMovedException($"block {chunk[i]} is no longer on the chain");
            }
        }

        return headers;
    }

    /// <summary>
    /// The batch's unfinal headers must link to each other and every log must come from the header fetched for its
    /// block (that the batch extends the stored chain is checked at commit). Otherwise the chain moved between our reads.
    /// </summary>
    private void CheckLinks(long from, long to, Dictionary<long, EvmBlock> headers, IReadOnlyList<EvmLog> logs)
    {
        foreach (var header in headers.Values)
        {
            if (headers.TryGetValue(header.Number - 1, out var parent) && header.ParentHash != parent.Hash)
            {
                throw new ChainMovedException($"block {header.Number} does not link to block {parent.Number}");
            }
        }

        foreach (var log in logs)
        {
            if (log.BlockNumber < from || log.BlockNumber > to || log.Address != _token)
            {
                throw new RpcProtocolException("eth_getLogs", _rpc.Transport.PreferredEndpoint.Label,
                    $"log {log.LogIndex} of tx {log.TransactionHash} is from block {log.BlockNumber} / address {log.Address}, outside the filter {from}-{to} / {_token}");
            }

            if (log.Removed)
            {
                throw new ChainMovedException($"log {log.LogIndex} of tx {log.TransactionHash} was removed by a reorg");
            }

            if (headers.TryGetValue(log.BlockNumber, out var header) && header.Hash != log.BlockHash)
            {
                throw new ChainMovedException($"log of tx {log.TransactionHash} is from block hash {log.BlockHash}, but block {log.BlockNumber} is now {header.Hash}");
            }
        }
    }
}
