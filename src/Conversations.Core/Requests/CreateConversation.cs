using System.Collections.Immutable;

namespace Conversations.Core.Requests;

/// <summary>A validated <c>POST /v1/conversations</c> body.</summary>
[GenerateSerializer, Immutable]
public sealed record CreateConversation(
    [property: Id(0)] ImmutableSortedDictionary<string, string> Metadata,
    [property: Id(1)] SettingsPatch Settings,
    [property: Id(2)] ImmutableArray<Items.Item> Items);
