using System.Globalization;
using System.Text;
using Usd1Reconciler.Evm.Decoding;
using Usd1Reconciler.Evm.Rpc;

namespace Usd1Reconciler.Bench.Micro;

/// <summary>Synthetic eth_getLogs material shaped like the fixture's: PlainToken mints and burns, 32-byte amounts.</summary>
internal static class LogSamples
{
    public const string Token = "0x5fbdb2315678afecb367f032d93f642f64180aa3";
    private const string Zero = "0x0000000000000000000000000000000000000000000000000000000000000000";
    private const string Holder = "0x00000000000000000000000070997970c51812dc3a010c7d01b50e0d17dc79c8";

    public static List<EvmLog> Logs(int count) =>
        Enumerable.Range(0, count).Select(i => new EvmLog(
            Token,
            i % 4 == 3 ? [EventTopics.Transfer, Holder, Zero] : [EventTopics.Transfer, Zero, Holder],
            "0x" + (1_000_000 + i).ToString("x64", CultureInfo.InvariantCulture),
            100 + (i / 1000),
            Hash(100 + (i / 1000)),
            Hash(1_000_000 + (i / 1000)),
            i % 1000,
            false)).ToList();

    /// <summary>The JSON-RPC reply a node sends for <see cref="Logs"/>, byte for byte as anvil formats it.</summary>
    public static byte[] Reply(int count)
    {
        var text = new StringBuilder("{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":[");
        var logs = Logs(count);
        for (var i = 0; i < logs.Count; i++)
        {
            var l = logs[i];
            text.Append(i == 0 ? "" : ",")
                .Append(CultureInfo.InvariantCulture, $"{{\"address\":\"{l.Address}\",\"topics\":[\"{l.Topics[0]}\",\"{l.Topics[1]}\",\"{l.Topics[2]}\"],\"data\":\"{l.Data}\",")
                .Append(CultureInfo.InvariantCulture, $"\"blockHash\":\"{l.BlockHash}\",\"blockNumber\":\"0x{l.BlockNumber:x}\",\"blockTimestamp\":\"0x6900c0de\",\"transactionHash\":\"{l.TransactionHash}\",")
                .Append(CultureInfo.InvariantCulture, $"\"transactionIndex\":\"0x0\",\"logIndex\":\"0x{l.LogIndex:x}\",\"removed\":false}}");
        }

        return Encoding.UTF8.GetBytes(text.Append("]}").ToString());
    }

    private static string Hash(long seed) => "0x" + seed.ToString("x64", CultureInfo.InvariantCulture);
}
