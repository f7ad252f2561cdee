namespace Usd1Reconciler.Reserves.Feeds;

/// <summary>The feed could not be reached or answered with an error; nothing was received to judge.</summary>
public sealed class FeedFetchException(string message, Exception? inner = null) : Exception(message, inner);
