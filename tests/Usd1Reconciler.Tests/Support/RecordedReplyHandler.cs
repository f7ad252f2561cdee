using System.Net;
using System.Text;
using System.Text.Json;

namespace Usd1Reconciler.Tests.Support;

/// <summary>
/// Answers HTTP requests from recorded replies, per endpoint host, echoing the request's id where the reply says
/// "ID" — so tests exercise the real client over real HttpClient plumbing without a network.
/// </summary>
internal sealed class RecordedReplyHandler : HttpMessageHandler
{
    private readonly Dictionary<string, Queue<Func<string, HttpResponseMessage>>> _replies = new(StringComparer.Ordinal);

    public List<string> Requests { get; } = [];

    public RecordedReplyHandler Reply(string host, string body, HttpStatusCode status = HttpStatusCode.OK) =>
        Enqueue(host, request => new HttpResponseMessage(status) { Content = new StringContent(body.Replace("\"ID\"", FirstId(request), StringComparison.Ordinal), Encoding.UTF8, "application/json") });

    /// <summary>A reply whose body arrives <paramref name="bytesPerRead"/> bytes per read, as a slow or chunked socket delivers it.</summary>
    public RecordedReplyHandler Trickle(string host, string body, int bytesPerRead) =>
        Enqueue(host, request => new HttpResponseMessage(HttpStatusCode.OK)
        {
            Content = new StreamContent(new TrickleStream(Encoding.UTF8.GetBytes(body.Replace("\"ID\"", FirstId(request), StringComparison.Ordinal)), bytesPerRead)),
        });

    public RecordedReplyHandler Enqueue(string host, Func<string, HttpResponseMessage> reply)
    {
        if (!_replies.TryGetValue(host, out var queue))
        {
            _replies[host] = queue = new Queue<Func<string, HttpResponseMessage>>();
        }

        queue.Enqueue(reply);
        return this;
    }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var body = await request.Content!.ReadAsStringAsync(cancellationToken);
        Requests.Add($"{request.RequestUri!.Host} {body}");
        if (!_replies.TryGetValue(request.RequestUri.Host, out var queue) || queue.Count == 0)
        {
            throw new HttpRequestException($"connection refused ({request.RequestUri.Host})");
        }

        return queue.Dequeue()(body);
    }

    private static string FirstId(string requestBody)
    {
        using var document = JsonDocument.Parse(requestBody);
        var root = document.RootElement.ValueKind == JsonValueKind.Array ? document.RootElement[0] : document.RootElement;
        return root.GetProperty("id").GetRawText();
    }

    private sealed class TrickleStream(byte[] data, int bytesPerRead) : MemoryStream(data)
    {
        public override int Read(byte[] buffer, int offset, int count) => base.Read(buffer, offset, Math.Min(count, bytesPerRead));

        public override int Read(Span<byte> buffer) => base.Read(buffer[..Math.Min(buffer.Length, bytesPerRead)]);

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            base.ReadAsync(buffer[..Math.Min(buffer.Length, bytesPerRead)], cancellationToken);

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            base.ReadAsync(buffer, offset, Math.Min(count, bytesPerRead), cancellationToken);
    }
}
