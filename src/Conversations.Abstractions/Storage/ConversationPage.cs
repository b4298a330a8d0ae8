using System.Collections.Immutable;
using Conversations.Core.Conversations;

namespace Conversations.Abstractions.Storage;

public sealed record ConversationPage(ImmutableArray<Conversation> Items, bool HasMore);
