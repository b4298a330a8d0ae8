namespace Conversations.Grains.Responses;

/// <summary>How long responses are kept, and how far back a chain of them is followed (<c>Responses__*</c>).</summary>
public sealed class ResponseOptions
{
    /// <summary>
    /// How long a stored response that belongs to no conversation is kept (OpenAI keeps 30 days); a
    /// response in a conversation is kept as long as the conversation.
    /// </summary>
    public TimeSpan Retention { get; set; } = TimeSpan.FromDays(30);

    /// <summary>The most responses a <c>previous_response_id</c> chain is followed back through; older ones are left out of the context.</summary>
    public int MaxChainLength { get; set; } = 10_000;
}
