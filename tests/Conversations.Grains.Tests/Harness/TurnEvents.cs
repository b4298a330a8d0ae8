using Conversations.Core.Conversations;
using Conversations.Abstractions.Grains;

namespace Conversations.Grains.Tests.Harness;

internal static class TurnEvents
{
    /// <summary>
    /// A turn's events as a chat client follows them: its start, its text, how it ended (the output items'
    /// announcements, which a chat reply has no use for, left out).
    /// </summary>
    public static async IAsyncEnumerable<TurnEvent> Chat(IAsyncEnumerable<TurnEvent> events)
    {
        await foreach (var item in events)
        {
            if (item is not (TurnEvent.ItemAdded or TurnEvent.ItemDone))
            {
                yield return item;
            }
        }
    }

    /// <summary>A chat turn streamed, as <see cref="Chat"/> reads it.</summary>
    public static IAsyncEnumerable<TurnEvent> ChatStream(this IConversationGrain grain, string ownerId, TurnRequest request, Core.Requests.IdempotencyKey? key = null) =>
        Chat(grain.Stream(ownerId, request, key));

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
