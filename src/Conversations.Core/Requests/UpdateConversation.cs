using System.Collections.Immutable;

namespace Conversations.Core.Requests;

/// <summary>A validated <c>POST /v1/conversations/{id}</c> body. Metadata, when given, replaces the old set.</summary>
[GenerateSerializer, Immutable]
public sealed record UpdateConversation(
    [property: Id(0)] Change<ImmutableSortedDictionary<string, string>> Metadata,
    [property: Id(1)] SettingsPatch Settings);
