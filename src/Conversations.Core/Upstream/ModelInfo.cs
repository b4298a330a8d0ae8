namespace Conversations.Core.Upstream;

/// <summary>One entry of <c>GET /v1/models</c>.</summary>
[GenerateSerializer, Immutable]
public sealed record ModelInfo(
    [property: Id(0)] string Id,
    [property: Id(1)] long Created,
    [property: Id(2)] string OwnedBy)
{
    /// <summary>
    /// The model's context window in tokens, when the upstream says (vLLM's <c>max_model_len</c>, or
    /// <c>context_length</c> as OpenRouter and LM Studio name it); null when it does not. OpenAI does not.
    /// </summary>
    [Id(3)]
    public long? ContextWindow { get; init; }
}
