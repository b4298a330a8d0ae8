namespace Conversations.Core.Messages;

/// <summary>
/// One item of a conversation's history. <see cref="Sequence"/> is its 1-based position; the store
/// refuses a second message at the same position, which is what keeps a stale grain activation from
/// writing after a failover.
/// </summary>
/// <param name="Model">The model that wrote an assistant reply; empty for input messages.</param>
/// <param name="FinishReason">Why generation stopped (<c>stop</c>, <c>length</c>, …); empty for input messages
/// and for replies that were cut short before the upstream said.</param>
/// <param name="CompletionId">The <c>chatcmpl-…</c> id the turn answered with; empty for input messages.</param>
[GenerateSerializer, Immutable]
public sealed record Message(
    [property: Id(0)] string Id,
    [property: Id(1)] long Sequence,
    [property: Id(2)] MessageRole Role,
    [property: Id(3)] string Content,
    [property: Id(4)] MessageStatus Status,
    [property: Id(5)] DateTimeOffset CreatedAt,
    [property: Id(6)] TokenUsage Usage,
    [property: Id(7)] string Model,
    [property: Id(8)] string FinishReason,
    [property: Id(9)] string CompletionId)
{
    /// <summary>An input message (system, developer or user): no usage, model or completion.</summary>
    public static Message Input(string id, long sequence, MessageRole role, string content, DateTimeOffset createdAt) =>
        new(id, sequence, role, content, MessageStatus.Completed, createdAt, TokenUsage.Zero, "", "", "");
}
