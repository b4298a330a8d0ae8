using System.Collections.Immutable;
using Conversations.Core.Messages;
using Conversations.Core.Requests;

namespace Conversations.Grains.Tests.Harness;

/// <summary>Validated requests as the API host hands them to the grains.</summary>
internal static class Requests
{
    public static string NewConversationId() => Ids.ConversationPrefix + Guid.NewGuid().ToString("N");

    public static string NewOwnerId() => Ids.UserPrefix + Guid.NewGuid().ToString("N");

    public static CreateConversation Create(
        string? instructions = null,
        ImmutableSortedDictionary<string, string>? metadata = null,
        string? model = null,
        double? temperature = null,
        params NewItem[] items) =>
        new(
            metadata ?? ImmutableSortedDictionary<string, string>.Empty,
            SettingsPatch.None with
            {
                Instructions = instructions is null ? Change<string>.Keep : Change<string>.To(instructions),
                Model = model is null ? Change<string>.Keep : Change<string>.To(model),
                Temperature = temperature is null ? Change<double?>.Keep : Change<double?>.To(temperature),
            },
            [.. items]);

    public static SendMessage Send(string content, TurnOverrides? overrides = null) =>
        new(content, Stream: false, overrides ?? TurnOverrides.None);

    public static SendMessage Stream(string content, TurnOverrides? overrides = null) =>
        new(content, Stream: true, overrides ?? TurnOverrides.None);

    public static PageQuery Page(int limit = 100, SortOrder order = SortOrder.Ascending, string after = "") =>
        new(limit, order, after);

    public static ImmutableSortedDictionary<string, string> Metadata(params (string Key, string Value)[] pairs) =>
        pairs.ToImmutableSortedDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal);

    public static NewItem Item(MessageRole role, string content) => new(role, content);
}
