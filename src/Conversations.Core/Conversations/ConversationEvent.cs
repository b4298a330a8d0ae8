using System.Collections.Immutable;
using Conversations.Core.Items;
using Conversations.Core.Requests;
using Conversations.Core.Responses;

namespace Conversations.Core.Conversations;

/// <summary>
/// What happened to a conversation. <see cref="Created"/>, <see cref="Updated"/>, <see cref="Deleted"/>,
/// <see cref="ItemsAppended"/>, <see cref="ItemDeleted"/> and <see cref="TurnStored"/> are written to the
/// store before they are applied; a turn's begin and end live only in memory (a turn is stored whole or
/// not at all). <see cref="TurnReplayed"/> changes nothing.
/// </summary>
public abstract record ConversationEvent
{
    public sealed record Created(Conversation Conversation, ImmutableArray<Item> Items) : ConversationEvent;

    public sealed record Updated(ImmutableSortedDictionary<string, string> Metadata, ConversationSettings Settings) : ConversationEvent;

    public sealed record Deleted(Conversation Conversation) : ConversationEvent;

    public sealed record ItemsAppended(ImmutableArray<Item> Items) : ConversationEvent;

    public sealed record ItemDeleted(Item Item) : ConversationEvent;

    public sealed record TurnBegan(IdempotencyKey? Key, DateTimeOffset At) : ConversationEvent;

    /// <summary>
    /// A repeat of a turn already stored under the same idempotency key: its response, rebuilt from the
    /// history (a <c>/messages</c> turn), or to be read from the store by <paramref name="ResponseId"/>.
    /// </summary>
    public sealed record TurnReplayed(ResponseRecord? Response, string ResponseId) : ConversationEvent;

    /// <summary>
    /// A turn's response, its input and output items numbered after the history, its usage counted on
    /// <paramref name="Day"/> (UTC), with the idempotency key it came with, stored in the same transaction.
    /// </summary>
    public sealed record TurnStored(ResponseRecord Response, DateOnly Day, IdempotencyKey? Key, DateTimeOffset At) : ConversationEvent
    {
        public ImmutableArray<Item> Items => Response.Input.AddRange(Response.Output);

        /// <summary>
        /// What a repeat of the turn's key finds again: its response id for a stored response; else its last
        /// item, and the id the response had (<c>msg_…@resp_…</c>), so the repeat answers with the same id.
        /// </summary>
        public string KeyResult => Response.Stored ? Response.Id : Response.Id.Length == 0 ? LastItemId : $"{LastItemId}{UnstoredSeparator}{Response.Id}";

        /// <summary>Between an unstored turn's last item and its response id in <see cref="KeyResult"/>: no id contains it.</summary>
        public const char UnstoredSeparator = '@';

        private string LastItemId => Response.Output.IsEmpty ? Response.Input[^1].Id : Response.Output[^1].Id;
    }

    public sealed record TurnEnded : ConversationEvent;
}
