using System.Collections.Immutable;
using Conversations.Core.Items;
using Conversations.Core.Responses;
using Conversations.Core.Upstream;

namespace Conversations.Grains.Turns;

/// <summary>A turn that began: its response so far, what goes upstream, and the context it was fitted from.</summary>
/// <param name="ContextItems">The items before the input that the context was made of (a conversation's history, or a chain's).</param>
internal sealed record RunningTurn(ResponseRecord Started, UpstreamChatRequest Request, TurnContext Context, ImmutableArray<Item> ContextItems)
{
    /// <summary>The response so far, saying where what was finally sent (after any retry) starts when the oldest items were left out.</summary>
    public ResponseRecord AsSent() =>
        Context.FirstSentItem() is { } first
            ? Started with { LeftOutBefore = first < ContextItems.Length ? ContextItems[first].Id : Started.Input[first - ContextItems.Length].Id }
            : Started;
}
