using Microsoft.Extensions.Logging;
using Usd1Reconciler.Core.Ingest;
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

    /// <summary>Indexes from the stored tip to <paramref name="head"/> in adaptive ranges; each range commits on its own.</summary>
    private async Task<int> CatchUpAsync(long networkId, long head, long finalTarget, CancellationToken cancellationToken)
    {
        var tip = await _store.GetTipAsync(networkId, cancellationToken);
        var from = tip is null ? _settings.StartBlock : tip.Number + 1;
        var previousHash = tip?.Id ?? string.Empty;
        var added = 0;
        while (from <= head)
        {
            var to = Math.Min(head, from + _ranges.Size - 1);
            IReadOnlyList<EvmLog> logs;
            try
            {
                logs = await _rpc.eth_getLogs(_token, EventTopics.All, from, to, cancellationToken);
            }
            catch (Exception ex) when (LogRangeSizer.IsRangeLimit(ex) && _ranges.Shrink())
            {
                _logger.LogInformation("network {Network}: eth_getLogs {From}-{To} hit a provider limit ({Reason}); range now {Size} blocks", Network, from, to, ex.Message, _ranges.Size);
                continue;
            }

            var headers = await GetHeadersAsync(from, to, finalTarget, cancellationToken);
            CheckLinks(from, to, previousHash, headers, logs);

            var times = headers.Values.ToDictionary(h => h.Number, h => h.Timestamp);
            var events = Erc20SupplyDecoder.Decode(logs, times);
            // Unfinal headers, the tip, and the final block's own header: the anchor the endpoint check compares every
            // endpoint with (without it a node on another fork could only be told apart once it reached the unfinal part).
            var keep = headers.Values
                .Where(h => h.Number >= finalTarget || h.Number == to)
                .OrderBy(h => h.Number)
                .Select(h => new BlockHeader(h.Number, h.Hash, h.ParentHash, h.Timestamp))
                .ToList();
            var newTip = new ChainTip(to, headers[to].Hash);
            await _store.CommitBatchAsync(new IndexedBatch(networkId, events, keep, newTip, _time.GetUtcNow()), cancellationToken);

            added += events.Count;
            _ranges.OnSuccess(logs.Count);
            previousHash = newTip.Id;
            from = to + 1;
        }

        return added;
    }

    /// <summary>Headers of the range's ends, of the final target when it is in range, and of every block in it that is not final yet, fetched in batches.</summary>
    private async Task<Dictionary<long, EvmBlock>> GetHeadersAsync(long from, long to, long finalTarget, CancellationToken cancellationToken)
    {
        var numbers = new SortedSet<long> { from, to };
        if (finalTarget >= from && finalTarget <= to)
        {
            numbers.Add(finalTarget);
        }

        for (var n = Math.Max(from, finalTarget + 1); n <= to; n++)
        {
            numbers.Add(n);
        }

        var headers = new Dictionary<long, EvmBlock>(numbers.Count);
        foreach (var chunk in numbers.Chunk(HeadersPerBatch))
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
    /// The batch must extend the stored chain (its first block's parent is the stored tip), its unfinal headers must
    /// link to each other, and every log must come from the header fetched for its block. Otherwise the chain moved
    /// between our reads.
    /// </summary>
    private void CheckLinks(long from, long to, string previousHash, Dictionary<long, EvmBlock> headers, IReadOnlyList<EvmLog> logs)
    {
        if (previousHash.Length > 0 && headers[from].ParentHash != previousHash)
        {
            throw new ChainMovedException($"block {from} has parent {headers[from].ParentHash}, not the stored tip {previousHash}");
        }

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
