namespace Usd1Reconciler.IntegrationTests.Fixtures;

/// <summary>What <see cref="FaultProxy"/> does to a request instead of (or on top of) forwarding it faithfully.</summary>
public enum FaultKind
{
    /// <summary>Forward unchanged.</summary>
    None,

    /// <summary>Wait <see cref="FaultProxy.Latency"/> before forwarding (beyond the client's timeout: a hung node).</summary>
    Latency,

    /// <summary>Abort the connection without an answer (TCP reset).</summary>
    ConnectionReset,

    /// <summary>HTTP 503 without Retry-After.</summary>
    ServerError,

    /// <summary>HTTP 429 with Retry-After: 1.</summary>
    TooManyRequests,

    /// <summary>Forward, then send half the body and cut the connection.</summary>
    TruncatedBody,

    /// <summary>HTTP 200 with a body that is not JSON.</summary>
    MalformedJson,

    /// <summary>Forward, but eth_chainId answers 0x1 (a mainnet URL among devnet ones).</summary>
    WrongChainId,

    /// <summary>Forward, but the head is <see cref="FaultProxy.LagBlocks"/> lower and blocks above it do not exist (a syncing node).</summary>
    LaggingHead,

    /// <summary>Forward to <see cref="FaultProxy.Fork"/>: a second node with the same chain id and another history.</summary>
    OtherFork,

    /// <summary>eth_getLogs over more than <see cref="FaultProxy.LogRangeCap"/> blocks is refused (-32005, as Infura/Alchemy do).</summary>
    LogRangeCap,

    /// <summary>eth_getLogs returning more than <see cref="FaultProxy.LogResultCap"/> logs is refused (-32005 "more than N results").</summary>
    LogResultCap,

    /// <summary>Replies larger than <see cref="FaultProxy.ResponseSizeCap"/> bytes are refused with HTTP 413.</summary>
    ResponseSizeCap,

    /// <summary>Forward, but the reply's result is replaced by a hostile value set in <see cref="FaultProxy.HostileResult"/>.</summary>
    HostileResult,

    /// <summary>Forward, but getGenesisHash answers another cluster's hash.</summary>
    WrongGenesis,
}
