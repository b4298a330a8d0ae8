using System.Collections.Immutable;
using Conversations.Core.Items;
using Conversations.Core.Messages;

namespace Conversations.Core.Context;

/// <summary>
/// What a compaction made: <see cref="Output"/> is the context to go on with — the compaction item, which stands
/// for everything before it. A conversation keeps it among its items; a client without one sends it back as input.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record CompactionResult(
    [property: Id(0)] string Id,
    [property: Id(1)] ImmutableArray<Item> Output,
    [property: Id(2)] DateTimeOffset CreatedAt,
    [property: Id(3)] TokenUsage Usage);
