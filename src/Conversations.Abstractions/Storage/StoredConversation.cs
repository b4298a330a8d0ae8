using System.Collections.Immutable;
using Conversations.Core.Conversations;
using Conversations.Core.Messages;

namespace Conversations.Abstractions.Storage;

/// <summary>A conversation and its whole history, in sequence order, as loaded on activation.</summary>
public sealed record StoredConversation(Conversation Conversation, ImmutableArray<Message> Messages);
