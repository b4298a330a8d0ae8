using System.Collections.Immutable;
using Conversations.Core.Items;

namespace Conversations.Abstractions.Grains;

[GenerateSerializer, Immutable]
public sealed record ItemPage(
    [property: Id(0)] ImmutableArray<Item> Items,
    [property: Id(1)] bool HasMore);
