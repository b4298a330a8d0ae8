using System.Collections.Immutable;
using Conversations.Core.Items;

namespace Conversations.Core.Conversations;

/// <summary>One page of a conversation's items.</summary>
public sealed record HistoryPage(ImmutableArray<Item> Items, bool HasMore);
