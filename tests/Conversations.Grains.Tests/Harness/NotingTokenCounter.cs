using System.Collections.Concurrent;
using Conversations.Abstractions.Upstream;
using Conversations.Core.Context;

namespace Conversations.Grains.Tests.Harness;

/// <summary>The real counter, noting every text it is asked to count, so a test can see what was counted again.</summary>
public sealed class NotingTokenCounter(ITokenCounter counter) : ITokenCounter
{
    private readonly ConcurrentQueue<string> _counted = new();

    public IReadOnlyCollection<string> Counted => _counted;

    public long Count(string text) => Count(text, TokenEncoding.O200kBase);

    public long Count(string text, TokenEncoding encoding)
    {
        _counted.Enqueue(text);
        return counter.Count(text, encoding);
    }

    /// <summary>How many times a text containing <paramref name="marker"/> was counted.</summary>
    public int TimesCounted(string marker) => _counted.Count(text => text.Contains(marker, StringComparison.Ordinal));
}
