using Conversations.Core.Context;
using Conversations.Core.Errors;
using OneOf;

namespace Conversations.Abstractions.Grains;

/// <summary>
/// Compacts a context that belongs to no conversation — a <c>previous_response_id</c> chain read from the
/// store, and/or input items — into one compaction item for the client to send back as input. Nothing is
/// stored. Any activation on any silo will do (key 0): it holds nothing.
/// </summary>
public interface ICompactionGrain : IGrainWithIntegerKey
{
    [ResponseTimeout("00:30:00")]
    Task<OneOf<CompactionResult, ConversationError>> Compact(string ownerId, CompactRequest request, CancellationToken cancellationToken = default);
}
