using System.Collections.Immutable;
using Conversations.Core.Responses;

namespace Conversations.Abstractions.Storage;

/// <summary>
/// Stored responses (<c>resp_…</c>). A response that belongs to a conversation is written with the
/// conversation's turn (<see cref="IConversationStore.AppendTurnAsync"/>) and goes with it; one that does
/// not is written here, and kept until it expires.
/// </summary>
public interface IResponseStore
{
    /// <summary>Stores the response, replacing an earlier state of the same response (a background one moves on).</summary>
    /// <param name="expiresAt">When it may be purged; null to keep it as long as its conversation.</param>
    Task SaveAsync(ResponseRecord response, DateTimeOffset? expiresAt, CancellationToken cancellationToken = default);

    /// <summary>The response, or null if there is none (or it expired).</summary>
    Task<ResponseRecord?> GetAsync(string responseId, DateTimeOffset now, CancellationToken cancellationToken = default);

    /// <summary>False if there was none.</summary>
    Task<bool> DeleteAsync(string responseId, CancellationToken cancellationToken = default);

    /// <summary>
    /// The response and every response it continues (through <see cref="ResponseRecord.PreviousResponseId"/>),
    /// oldest first, at most <paramref name="maxLength"/> of them; empty if the response does not exist.
    /// A chain whose oldest reachable response still names a previous one was cut (deleted or expired).
    /// </summary>
    Task<ImmutableArray<ResponseRecord>> LoadChainAsync(string responseId, DateTimeOffset now, int maxLength, CancellationToken cancellationToken = default);

    /// <summary>Deletes responses expired before <paramref name="now"/>; returns how many.</summary>
    Task<int> PurgeExpiredAsync(DateTimeOffset now, CancellationToken cancellationToken = default);
}
