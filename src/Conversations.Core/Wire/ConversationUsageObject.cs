namespace Conversations.Core.Wire;

public sealed record ConversationUsageObject(long Requests, long PromptTokens, long CompletionTokens, long TotalTokens);
