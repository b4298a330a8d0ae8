namespace Conversations.Core.Wire;

/// <summary>Chat Completions' <c>usage</c>.</summary>
public sealed record UsageObject(long PromptTokens, long CompletionTokens, long TotalTokens);
