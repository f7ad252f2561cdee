using System.Text.Json;

namespace Usd1Reconciler.JsonRpc;

/// <summary>
/// Reads one item of a streamed array reply straight from the token stream. <paramref name="item"/> is positioned on
/// the item's first token and every byte of the item is already buffered, so the reader may step through it without
/// ever meeting the end of the input; it must not read past the item's last token. Like any item reader it throws
/// <see cref="FormatException"/> (or <see cref="RpcProtocolException"/>) for an item of the wrong shape.
/// </summary>
public delegate T JsonRpcItemReader<out T>(ref Utf8JsonReader item);
