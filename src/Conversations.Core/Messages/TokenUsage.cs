namespace Conversations.Core.Messages;

/// <summary>Tokens a turn consumed, as the upstream reported them (or as counted, for the offline model).</summary>
[GenerateSerializer, Immutable]
public sealed record TokenUsage(
    [property: Id(0)] long PromptTokens,
    [property: Id(1)] long CompletionTokens)
{
    public static readonly TokenUsage Zero = new(0, 0);

    public long TotalTokens => PromptTokens + CompletionTokens;

    public TokenUsage Add(TokenUsage other) =>
        new(PromptTokens + other.PromptTokens, CompletionTokens + other.CompletionTokens);
}
