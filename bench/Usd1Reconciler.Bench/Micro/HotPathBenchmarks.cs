using System.Net;
using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.Logging.Abstractions;
using Usd1Reconciler.Core.Amounts;
using Usd1Reconciler.Core.Supply;
using Usd1Reconciler.Evm.Decoding;
using Usd1Reconciler.Evm.Rpc;
using Usd1Reconciler.JsonRpc;

namespace Usd1Reconciler.Bench.Micro;

/// <summary>The CPU-bound steps of an EVM backfill, per 10,000 logs: reading the eth_getLogs reply, decoding logs into supply events, parsing amounts.</summary>
[MemoryDiagnoser]
public class HotPathBenchmarks : IDisposable
{
    private const int Count = 10_000;
    private List<EvmLog> _logs = [];
    private EvmRpcClient _rpc = null!;
    private HttpClient _http = null!;
    private string[] _words = [];

    [GlobalSetup]
    public void Setup()
    {
        _logs = LogSamples.Logs(Count);
        _words = _logs.Select(l => l.Data).ToArray();
        _http = new HttpClient(new FixedReplyHandler(LogSamples.Reply(Count)));
        _rpc = new EvmRpcClient(new JsonRpcClient(_http, "bench", [new Uri("http://127.0.0.1:1")], TimeSpan.FromMinutes(1), NullLogger.Instance));
    }

    [GlobalCleanup]
    public void Cleanup() => Dispose();

    public void Dispose()
    {
        _http.Dispose();
        GC.SuppressFinalize(this);
    }

    /// <summary>eth_getLogs through the JSON-RPC client: envelope checks, id pairing and the strict log reader (no socket).</summary>
    [Benchmark]
    public async Task<int> ReadGetLogsReply() =>
        (await _rpc.eth_getLogs(LogSamples.Token, EventTopics.All, 0, 1_000_000, CancellationToken.None)).Count;

    [Benchmark]
    public IReadOnlyList<SupplyEvent> DecodeLogs() => Erc20SupplyDecoder.Decode(_logs, new Dictionary<long, DateTimeOffset>());

    [Benchmark]
    public TokenAmount ParseHexAmounts()
    {
        var last = TokenAmount.Zero;
        foreach (var word in _words)
        {
            last = TokenAmount.ParseHex(word);
        }

        return last;
    }

    [Benchmark]
    public int FormatAmounts()
    {
        var length = 0;
        foreach (var log in _logs)
        {
            length += new TokenAmount(log.LogIndex + 1_000_000_000_000L).ToString().Length;
        }

        return length;
    }

    private sealed class FixedReplyHandler(byte[] reply) : HttpMessageHandler
    {
        // The recorded reply after its id: the client numbers requests, so the id is spliced in per call.
        private readonly byte[] _tail = reply.AsSpan("{\"jsonrpc\":\"2.0\",\"id\":1"u8.Length).ToArray();

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var sent = await request.Content!.ReadAsStringAsync(cancellationToken);
            var idStart = sent.IndexOf("\"id\":", StringComparison.Ordinal) + 5;
            var id = sent[idStart..sent.IndexOf(',', idStart)];
            return new HttpResponseMessage(HttpStatusCode.OK) { Content = new SplicedContent(System.Text.Encoding.UTF8.GetBytes("{\"jsonrpc\":\"2.0\",\"id\":" + id), _tail) };
        }
    }

    private sealed class SplicedContent(byte[] head, byte[] tail) : HttpContent
    {
        protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context)
        {
            await stream.WriteAsync(head);
            await stream.WriteAsync(tail);
        }

        protected override bool TryComputeLength(out long length)
        {
            length = head.Length + tail.Length;
            return true;
        }
    }
}
