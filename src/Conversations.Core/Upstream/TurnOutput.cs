using System.Collections.Immutable;
using Conversations.Core.Items;

namespace Conversations.Core.Upstream;

/// <summary>
/// What a turn produced: its output items in order (at least one), the last of which carries
/// <see cref="Reply"/>, that reply info itself, and the lengths of the deltas it streamed (see
/// <see cref="OutputDraft.Shape"/>; empty for a single-shot turn).
/// </summary>
public sealed record TurnOutput(ImmutableArray<Item> Items, ReplyInfo Reply, ImmutableArray<int> Shape);
