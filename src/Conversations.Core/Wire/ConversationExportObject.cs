namespace Conversations.Core.Wire;

/// <summary>
/// <c>GET /v1/conversations/{id}/export?format=json</c>: the conversation and all its items, oldest first, each
/// as the conversation routes write it, so an export reads with the same code as the API's answers.
/// </summary>
public sealed record ConversationExportObject(string Object, ConversationObject Conversation, IReadOnlyList<ItemObject> Items);
