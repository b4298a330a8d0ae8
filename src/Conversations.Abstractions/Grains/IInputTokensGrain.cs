using Conversations.Core.Conversations;
using Conversations.Core.Errors;
using OneOf;

namespace Conversations.Abstractions.Grains;

/// <summary>
/// Counts the input tokens of a response that belongs to no conversation (one continuing a
/// <c>previous_response_id</c> chain, or standing alone) without calling the model. Any activation on any
/// silo will do (key 0): it holds nothing.
/// </summary>
public interface IInputTokensGrain : IGrainWithIntegerKey
{
    /// <summary>The input tokens; <see cref="ConversationError.PreviousResponseNotFound"/> for a chain the caller does not own.</summary>
    Task<OneOf<long, ConversationError>> Count(string ownerId, TurnRequest request);
}
