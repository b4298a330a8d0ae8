using System.Collections.Immutable;
using Conversations.Core.Messages;

namespace Conversations.Core.Conversations;

/// <summary>One page of a conversation's items.</summary>
public sealed record HistoryPage(ImmutableArray<Message> Items, bool HasMore);
