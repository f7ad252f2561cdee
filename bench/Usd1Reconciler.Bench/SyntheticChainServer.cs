using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Numerics;
using System.Security.Cryptography;
using System.Text.Json;
using Usd1Reconciler.Evm.Decoding;

namespace Usd1Reconciler.Bench;

/// <summary>
/// A JSON-RPC server shaped like a paid EVM provider over a long chain, for `rate-limited-backfill`: a chain of
/// <see cref="Head"/> + 1 blocks whose headers are computed from their number, one USD1-like token deployed at
/// <see cref="DeployBlock"/>, and its mint/burn events (each a Transfer from/to zero plus the Mint/Burn event naming the
/// actor, as the USD1 contract emits them and <see cref="Erc20SupplyDecoder"/> pairs them), clustered towards recent
/// blocks. Limits as providers set them: every reply after an added latency, eth_getLogs capped by block range and
/// result count (JSON-RPC errors in the wording of the big providers), and a request rate counted per batch element
/// over a sliding second, answered HTTP 429 with Retry-After beyond it (refused requests are not counted; a batch larger
/// than the whole limit is let into an empty window only).
/// </summary>
internal sealed class SyntheticChainServer : IAsyncDisposable
{
    public const long Head = 20_000_000;
    public const long DeployBlock = 6_000_000;
    public const long ChainId = 1;
    public const long FinalityLag = 64;
    public const string Token = "0x8d0d000ee44948fc98c9b98a4fa4921476f08b0d";
    private const long GenesisTime = 1_438_269_973;
    private const long MintAmount = 1_000_000;
    private const long BurnAmount = 1;
    private const string Holder = "0x00000000000000000000000070997970c51812dc3a010c7d01b50e0d17dc79c8";
    private const string Minter = "0x000000000000000000000000f39fd6e51aad88f6f4ce6ab8827279cfffb92266";
    private const string ZeroTopic = "0x0000000000000000000000000000000000000000000000000000000000000000";

    private readonly HttpListener _listener = new();
    private readonly Task _loop;
    private readonly long[] _eventBlocks;
    private readonly int _rateLimit;
    private readonly TimeSpan _latency;
    private readonly Queue<long> _arrivals = new();
    private readonly Lock _rateLock = new();
    private readonly ConcurrentDictionary<string, long> _calls = new(StringComparer.Ordinal);
    private long _refused;
    private long _posts;
    private long _serviceTicks;
    private int _inFlight;
    private int _peakInFlight;
    private long _resetAt = TimeProvider.System.GetTimestamp();
    private readonly ConcurrentQueue<Post> _timeline = new();

    private readonly bool _sendsBlockTimestamp;

    private SyntheticChainServer(long[] eventBlocks, int rateLimit, TimeSpan latency, int port, bool sendsBlockTimestamp)
    {
        _sendsBlockTimestamp = sendsBlockTimestamp;
        _eventBlocks = eventBlocks;
        _rateLimit = rateLimit;
        _latency = latency;
        Url = new Uri($"http://127.0.0.1:{port}/v2/bench-key/");
        _listener.Prefixes.Add(Url.ToString());
        _listener.Start();
        _loop = Task.Run(AcceptAsync);
    }

    public Uri Url { get; }

    public TimeSpan Latency => _latency;

    public long Events => _eventBlocks.Length;

    public long Mints => Events - (Events / 4);

    public long Burns => Events / 4;

    /// <summary>Total supply with every event counted: what the indexed ledger must prove.</summary>
    public BigInteger Supply => SupplyThrough(Head);

    public long Refused => Interlocked.Read(ref _refused);

    public long Posts => Interlocked.Read(ref _posts);

    /// <summary>Mean time from a post's arrival to its reply's last byte, added latency included.</summary>
    public TimeSpan MeanServiceTime => Posts == 0 ? TimeSpan.Zero : TimeSpan.FromSeconds(Interlocked.Read(ref _serviceTicks) / (double)TimeProvider.System.TimestampFrequency / Posts);

    /// <summary>Most posts being served at once.</summary>
    public int PeakInFlight => Volatile.Read(ref _peakInFlight);

    /// <summary>Requests answered (not refused) by method, batch elements counted one each.</summary>
    public IReadOnlyDictionary<string, long> Calls => new SortedDictionary<string, long>(_calls, StringComparer.Ordinal);

    /// <summary>
    /// The events: <paramref name="clustered"/> of them in bursts of 10,000 over 1,000 blocks each, the last burst
    /// ending 100,000 blocks below the head and each earlier one 300,000 blocks further down; the rest spread over the
    /// token's whole life with a density that grows with the square of the block's age since deployment (recent
    /// blocks hold most of them). Deterministic: the same events every run.
    /// </summary>
    /// <param name="sendsBlockTimestamp">Logs carry their block's time (<c>blockTimestamp</c>), as geth's do since 1.16.</param>
    public static SyntheticChainServer Start(int events, int clustered, int rateLimit, TimeSpan latency, bool sendsBlockTimestamp = false)
    {
        var blocks = new List<long>(events);
        var span = Head - FinalityLag - DeployBlock;
        var bursts = clustered / 10_000;
        for (var b = 0; b < bursts; b++)
        {
            var end = Head - 100_000 - (b * 300_000L);
            for (var i = 0; i < 10_000; i++)
            {
                blocks.Add(end - 1_000 + (i / 10));
            }
        }

        var spread = events - (bursts * 10_000);
        for (var i = 0; i < spread; i++)
        {
            var x = Math.Cbrt((i + 0.5) / spread);
            blocks.Add(DeployBlock + 1 + (long)(x * (span - 1)));
        }

        blocks.Sort();
        return new SyntheticChainServer([.. blocks], rateLimit, latency, BenchEnvironment.FreePort(), sendsBlockTimestamp);
    }

    public void ResetCounters()
    {
        _calls.Clear();
        Interlocked.Exchange(ref _refused, 0);
        Interlocked.Exchange(ref _posts, 0);
        Interlocked.Exchange(ref _serviceTicks, 0);
        Volatile.Write(ref _peakInFlight, 0);
        _timeline.Clear();
        Interlocked.Exchange(ref _resetAt, TimeProvider.System.GetTimestamp());
        lock (_rateLock)
        {
            _arrivals.Clear();
        }
    }

    /// <summary>
    /// The fewest eth_getLogs calls that cover the token's blocks within both caps (greedy from the deployment block:
    /// each range as long as the block cap and the result cap allow, which no other cover of consecutive ranges beats).
    /// </summary>
    public int MinimumLogRequests(int maxBlocks, int maxResults)
    {
        var requests = 0;
        for (var from = DeployBlock; from <= Head;)
        {
            var to = Math.Min(Head, from + maxBlocks - 1);
            while (LogsIn(from, to) > maxResults)
            {
                // Shrink to the largest end that fits: just before the event that would exceed the cap.
                var first = LowerBound(from);
                var lastAllowed = first + (maxResults / 2) - 1;
                to = Math.Min(to, _eventBlocks[lastAllowed + 1] - 1);
                if (to < from)
                {
                    throw new InvalidOperationException($"block {from} alone holds more than {maxResults} logs");
                }
            }

            requests++;
            from = to + 1;
        }

        return requests;
    }

    /// <summary>
    /// Every post since the last reset as CSV lines (header first), in order of arrival: milliseconds from the reset to
    /// the arrival and to the reply's last byte, batch elements, the first method, and whether it was admitted — to see
    /// where a run leaves the rate unused.
    /// </summary>
    public IEnumerable<string> WriteTimeline()
    {
        var frequency = (double)TimeProvider.System.TimestampFrequency;
        var reset = Interlocked.Read(ref _resetAt);
        yield return "arrived_ms,done_ms,elements,method,admitted";
        foreach (var post in _timeline.OrderBy(p => p.Arrived))
        {
            yield return BenchEnvironment.Invariant(
                $"{(post.Arrived - reset) * 1000 / frequency:0.0},{(post.Done - reset) * 1000 / frequency:0.0},{post.Elements},{post.Method},{(post.Admitted ? 1 : 0)}");
        }
    }

    public async ValueTask DisposeAsync()
    {
        _listener.Stop();
        _listener.Close();
        try
        {
            await _loop;
        }
        catch (Exception ex) when (ex is HttpListenerException or ObjectDisposedException)
        {
        }
    }

    private async Task AcceptAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception ex) when (ex is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }

            _ = Task.Run(() => ServeAsync(context));
        }
    }

    private async Task ServeAsync(HttpListenerContext context)
    {
        var arrived = TimeProvider.System.GetTimestamp();
        var response = context.Response;
        var inFlight = Interlocked.Increment(ref _inFlight);
        for (var peak = Volatile.Read(ref _peakInFlight); inFlight > peak; peak = Volatile.Read(ref _peakInFlight))
        {
            Interlocked.CompareExchange(ref _peakInFlight, inFlight, peak);
        }

        var elements = 0;
        var firstMethod = "?";
        var wasAdmitted = false;
        try
        {
            Interlocked.Increment(ref _posts);
            using var body = await JsonDocument.ParseAsync(context.Request.InputStream);
            var root = body.RootElement;
            var requests = root.ValueKind == JsonValueKind.Array ? root.EnumerateArray().ToList() : [root];
            var admitted = Admit(requests.Count, arrived);
            elements = requests.Count;
            firstMethod = requests.Count > 0 && requests[0].TryGetProperty("method", out var m) ? m.GetString() ?? "?" : "?";
            wasAdmitted = admitted;
            var remaining = _latency - TimeProvider.System.GetElapsedTime(arrived);
            if (remaining > TimeSpan.Zero)
            {
                await Task.Delay(remaining, TimeProvider.System);
            }

            if (!admitted)
            {
                Interlocked.Increment(ref _refused);
                response.StatusCode = 429;
                response.AddHeader("Retry-After", "1");
                await WriteAsync(response, """{"jsonrpc":"2.0","id":null,"error":{"code":429,"message":"Your app has exceeded its compute units per second capacity"}}"""u8.ToArray());
                return;
            }

            foreach (var request in requests)
            {
                var method = request.GetProperty("method").GetString() ?? "?";
                _calls.AddOrUpdate(method, 1, (_, n) => n + 1);
            }

            response.StatusCode = 200;
            response.ContentType = "application/json";
            response.SendChunked = true;
            await using var writer = new Utf8JsonWriter(response.OutputStream);
            if (root.ValueKind == JsonValueKind.Array)
            {
                writer.WriteStartArray();
            }

            foreach (var request in requests)
            {
                await AnswerAsync(writer, request);
            }

            if (root.ValueKind == JsonValueKind.Array)
            {
                writer.WriteEndArray();
            }

            await writer.FlushAsync();
            response.Close();
        }
        catch (Exception ex) when (ex is HttpListenerException or IOException or ObjectDisposedException)
        {
            // The client went away (a cancelled range): nothing to answer.
        }
        finally
        {
            Interlocked.Decrement(ref _inFlight);
            var done = TimeProvider.System.GetTimestamp();
            Interlocked.Add(ref _serviceTicks, done - arrived);
            _timeline.Enqueue(new Post(arrived, done, elements, firstMethod, wasAdmitted));
        }
    }

    /// <summary>Counts the elements in the sliding second when they fit; a refused request counts nothing.</summary>
    private bool Admit(int elements, long arrived)
    {
        lock (_rateLock)
        {
            var windowStart = arrived - TimeProvider.System.TimestampFrequency;
            while (_arrivals.Count > 0 && _arrivals.Peek() <= windowStart)
            {
                _arrivals.Dequeue();
            }

            // A batch of more elements than the limit could never fit: it is let into an empty window (and fills the
            // next second with its elements), as providers that count compute units let a balance go negative.
            if (_arrivals.Count + elements > _rateLimit && !(elements > _rateLimit && _arrivals.Count == 0))
            {
                return false;
            }

            for (var i = 0; i < elements; i++)
            {
                _arrivals.Enqueue(arrived);
            }

            return true;
        }
    }

    private static async Task WriteAsync(HttpListenerResponse response, byte[] body)
    {
        response.ContentType = "application/json";
        response.ContentLength64 = body.Length;
        await response.OutputStream.WriteAsync(body);
        response.Close();
    }

    private async Task AnswerAsync(Utf8JsonWriter writer, JsonElement request)
    {
        writer.WriteStartObject();
        writer.WriteString("jsonrpc", "2.0");
        writer.WritePropertyName("id");
        request.GetProperty("id").WriteTo(writer);
        var parameters = request.TryGetProperty("params", out var p) ? p : default;
        switch (request.GetProperty("method").GetString())
        {
            case "eth_chainId":
                writer.WriteString("result", Hex(ChainId));
                break;
            case "eth_blockNumber":
                writer.WriteString("result", Hex(Head));
                break;
            case "eth_getBlockByNumber":
                var number = BlockTag(parameters[0].GetString()!);
                writer.WritePropertyName("result");
                if (number > Head)
                {
                    writer.WriteNullValue();
                }
                else
                {
                    WriteBlock(writer, number);
                }

                break;
            case "eth_getCode":
                writer.WriteString("result", "0x6080604052348015600f57600080fd5b50");
                break;
            case "eth_call":
                writer.WriteString("result", Call(parameters[0].GetProperty("data").GetString()!, BlockTag(parameters[1].GetString()!)));
                break;
            case "eth_getLogs":
                await GetLogsAsync(writer, parameters[0]);
                break;
            default:
                WriteError(writer, -32601, "the method does not exist/is not available");
                break;
        }

        writer.WriteEndObject();
    }

    private async Task GetLogsAsync(Utf8JsonWriter writer, JsonElement filter)
    {
        var from = BlockTag(filter.GetProperty("fromBlock").GetString()!);
        var to = BlockTag(filter.GetProperty("toBlock").GetString()!);
        if (to - from + 1 > 10_000)
        {
            WriteError(writer, -32600, "eth_getLogs is limited to a 10,000 block range");
            return;
        }

        if (!string.Equals(filter.GetProperty("address").GetString(), Token, StringComparison.OrdinalIgnoreCase))
        {
            writer.WriteStartArray("result");
            writer.WriteEndArray();
            return;
        }

        if (LogsIn(from, to) > 10_000)
        {
            WriteError(writer, -32005, "query returned more than 10000 results");
            return;
        }

        writer.WriteStartArray("result");
        var logIndex = 0;
        var block = -1L;
        for (var i = LowerBound(from); i < _eventBlocks.Length && _eventBlocks[i] <= to; i++)
        {
            if (_eventBlocks[i] != block)
            {
                block = _eventBlocks[i];
                logIndex = 0;
            }

            var burn = i % 4 == 3;
            var tx = Hash(i, 'T');
            var blockHash = Hash(block, 'B');
            var amount = "0x" + (burn ? BurnAmount : MintAmount).ToString("x64", CultureInfo.InvariantCulture);
            WriteLog(writer, block, blockHash, tx, logIndex++, [EventTopics.Transfer, burn ? Holder : ZeroTopic, burn ? ZeroTopic : Holder], amount);
            WriteLog(writer, block, blockHash, tx, logIndex++, [burn ? EventTopics.BurnFrom : EventTopics.Mint, Minter, Holder], amount);
            if (writer.BytesPending > 1 << 16)
            {
                await writer.FlushAsync();
            }
        }

        writer.WriteEndArray();
    }

    private void WriteLog(Utf8JsonWriter writer, long block, string blockHash, string tx, int logIndex, string[] topics, string data)
    {
        writer.WriteStartObject();
        writer.WriteString("address", Token);
        writer.WriteStartArray("topics");
        foreach (var topic in topics)
        {
            writer.WriteStringValue(topic);
        }

        writer.WriteEndArray();
        writer.WriteString("data", data);
        writer.WriteString("blockNumber", Hex(block));
        writer.WriteString("transactionHash", tx);
        writer.WriteString("transactionIndex", "0x0");
        writer.WriteString("blockHash", blockHash);
        writer.WriteString("logIndex", Hex(logIndex));
        if (_sendsBlockTimestamp)
        {
            writer.WriteString("blockTimestamp", Hex(GenesisTime + (12 * block)));
        }

        writer.WriteBoolean("removed", false);
        writer.WriteEndObject();
    }

    private static void WriteBlock(Utf8JsonWriter writer, long number)
    {
        writer.WriteStartObject();
        writer.WriteString("number", Hex(number));
        writer.WriteString("hash", Hash(number, 'B'));
        writer.WriteString("parentHash", number == 0 ? ZeroTopic : Hash(number - 1, 'B'));
        writer.WriteString("timestamp", Hex(GenesisTime + (12 * number)));
        writer.WriteString("gasLimit", "0x1c9c380");
        writer.WriteString("gasUsed", "0x0");
        writer.WriteString("miner", "0x0000000000000000000000000000000000000000");
        writer.WriteStartArray("transactions");
        writer.WriteEndArray();
        writer.WriteEndObject();
    }

    private static void WriteError(Utf8JsonWriter writer, int code, string message)
    {
        writer.WriteStartObject("error");
        writer.WriteNumber("code", code);
        writer.WriteString("message", message);
        writer.WriteEndObject();
    }

    private string Call(string data, long block)
    {
        if (data.StartsWith("0x18160ddd", StringComparison.Ordinal))
        {
            return "0x" + SupplyThrough(block).ToString("x", CultureInfo.InvariantCulture).TrimStart('0').PadLeft(64, '0');
        }

        // decimals() and anything else a reader asks: 18 decimals, zero balances.
        return data.StartsWith("0x313ce567", StringComparison.Ordinal) ? "0x" + 18.ToString("x64", CultureInfo.InvariantCulture) : "0x" + new string('0', 64);
    }

    private BigInteger SupplyThrough(long block)
    {
        var count = LowerBound(block + 1);
        long burns = count / 4;
        return ((count - burns) * (BigInteger)MintAmount) - (burns * (BigInteger)BurnAmount);
    }

    /// <summary>Logs the filter would return: two per event.</summary>
    private long LogsIn(long from, long to) => 2L * (LowerBound(to + 1) - LowerBound(from));

    /// <summary>Index of the first event at or above <paramref name="block"/>.</summary>
    private int LowerBound(long block)
    {
        var at = Array.BinarySearch(_eventBlocks, block);
        if (at < 0)
        {
            return ~at;
        }

        while (at > 0 && _eventBlocks[at - 1] == block)
        {
            at--;
        }

        return at;
    }

    private sealed record Post(long Arrived, long Done, int Elements, string Method, bool Admitted);

    private static long BlockTag(string tag) => tag switch
    {
        "latest" or "pending" => Head,
        "finalized" => Head - FinalityLag,
        "safe" => Head - (FinalityLag / 2),
        "earliest" => 0,
        _ => long.Parse(tag.AsSpan(2), NumberStyles.HexNumber, CultureInfo.InvariantCulture),
    };

    private static string Hex(long value) => "0x" + value.ToString("x", CultureInfo.InvariantCulture);

    /// <summary>A 32-byte hash that depends only on the number and the kind of thing it names (block or transaction).</summary>
    private static string Hash(long number, char kind)
    {
        Span<byte> input = stackalloc byte[9];
        BitConverter.TryWriteBytes(input, number);
        input[8] = (byte)kind;
        return "0x" + Convert.ToHexStringLower(SHA256.HashData(input));
    }
}
