namespace Conversations.Core.Messages;

/// <summary>
/// Tokens a turn consumed, as the upstream reported them (or as counted, for the offline model), with the
/// details OpenAI reports when it has them: how much of the prompt came from its cache, and how much of
/// the completion was reasoning. Details are zero when the upstream did not say.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record TokenUsage(
    [property: Id(0)] long PromptTokens,
    [property: Id(1)] long CompletionTokens,
    [property: Id(2)] long CachedTokens = 0,
    [property: Id(3)] long ReasoningTokens = 0)
{
    public static readonly TokenUsage Zero = new(0, 0);

    public long TotalTokens => PromptTokens + CompletionTokens;

    public TokenUsage Add(TokenUsage other) =>
        new(PromptTokens + other.PromptTokens, CompletionTokens + other.CompletionTokens, CachedTokens + other.CachedTokens, ReasoningTokens + other.ReasoningTokens);
}
