using Conversations.Core.Conversations;
using Conversations.Abstractions.Grains;

namespace Conversations.Grains.Tests.Harness;

internal static class TurnEvents
{
    public static async Task<List<TurnEvent>> CollectAsync(IAsyncEnumerable<TurnEvent> events)
    {
        var collected = new List<TurnEvent>();
        await foreach (var item in events)
        {
            collected.Add(item);
        }

        return collected;
    }

    public static string Text(IEnumerable<TurnEvent> events) =>
        string.Concat(events.OfType<TurnEvent.Delta>().Select(d => d.Content));
}
