using System.Collections.Immutable;
using Conversations.Core.Items;
using Conversations.Core.Messages;
using Conversations.Core.Responses;

namespace Conversations.Core.Context;

/// <summary>What a response's model was sent, item by item, as <c>GET /v1/responses/{id}/input_items</c> lists it.</summary>
public static class SentItems
{
    /// <summary>
    /// The items a response's model saw. When nothing was left out that is its own input (what it continued, a
    /// conversation or a chain, was sent whole and is listed where it lives). When <c>auto</c> left the oldest
    /// items out (<see cref="ResponseRecord.LeftOutBefore"/>), it is exactly what was sent: of
    /// <paramref name="context"/> (the conversation's items before the response, or the chain's) and the input,
    /// the system and developer messages before the first item sent, then everything from it on. Should that
    /// item have been deleted since, the own input is what is left to list.
    /// </summary>
    public static ImmutableArray<Item> Of(ResponseRecord response, ImmutableArray<Item> context)
    {
        if (response.LeftOutBefore is not { } first)
        {
            return response.Input;
        }

        var all = context.AddRange(response.Input);
        var at = -1;
        for (var i = 0; i < all.Length && at < 0; i++)
        {
            at = all[i].Id == first ? i : -1;
        }

        if (at < 0)
        {
            return response.Input;
        }

        var sent = ImmutableArray.CreateBuilder<Item>(all.Length - at);
        for (var i = 0; i < at; i++)
        {
            if (all[i] is MessageItem { Role: MessageRole.System or MessageRole.Developer })
            {
                sent.Add(all[i]);
            }
        }

        sent.AddRange(all.AsSpan()[at..]);
        return sent.DrainToImmutable();
    }
}
