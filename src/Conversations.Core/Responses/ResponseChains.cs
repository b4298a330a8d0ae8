using System.Collections.Immutable;
using Conversations.Core.Errors;
using Conversations.Core.Items;
using OneOf;

namespace Conversations.Core.Responses;

/// <summary>The rules of <c>previous_response_id</c>: what a response continues, and who may continue it.</summary>
public static class ResponseChains
{
    /// <summary>
    /// The context a response continuing <paramref name="chain"/> (oldest first, as the store follows it back)
    /// starts from: every response's own input, then its output, in order. Only the chain's owner may
    /// continue it; to anyone else, and for a chain that is not there, it does not exist.
    /// </summary>
    public static OneOf<ImmutableArray<Item>, ConversationError> Context(ImmutableArray<ResponseRecord> chain, string previousResponseId, string ownerId)
    {
        if (chain.IsEmpty || chain[^1].Id != previousResponseId || chain[^1].OwnerId != ownerId)
        {
            return new ConversationError.PreviousResponseNotFound(previousResponseId);
        }

        var items = ImmutableArray.CreateBuilder<Item>(chain.Sum(response => response.Input.Length + response.Output.Length));
        foreach (var response in chain)
        {
            items.AddRange(response.Input);
            items.AddRange(response.Output);
        }

        return items.MoveToImmutable();
    }

    /// <summary>A stored response as its owner sees it; anyone else (and a response never stored) finds none.</summary>
    public static OneOf<ResponseRecord, ConversationError> Owned(ResponseRecord? response, string responseId, string ownerId) =>
        response is { } found && found.OwnerId == ownerId && found.Stored
            ? found
            : new ConversationError.ResponseNotFound(responseId);
}
