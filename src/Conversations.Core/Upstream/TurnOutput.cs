using System.Collections.Immutable;
using Conversations.Core.Items;

namespace Conversations.Core.Upstream;

/// <summary>
/// What a turn produced: its output items in order (at least one), the last of which carries
/// <see cref="Reply"/>, and that reply info itself.
/// </summary>
public sealed record TurnOutput(ImmutableArray<Item> Items, ReplyInfo Reply);
