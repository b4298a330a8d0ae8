namespace Conversations.Core.Wire;

public sealed record UsageTotalsObject(long Requests, long PromptTokens, long CompletionTokens, long TotalTokens);
