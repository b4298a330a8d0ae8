using System.Collections.Immutable;
using Conversations.Core.Conversations;
using Conversations.Core.Items;
using Conversations.Core.Messages;
using Conversations.Core.Responses;
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
        params Item[] items) =>
        new(
            metadata ?? ImmutableSortedDictionary<string, string>.Empty,
            SettingsPatch.None with
            {
                Instructions = instructions is null ? Change<string>.Keep : Change<string>.To(instructions),
                Model = model is null ? Change<string>.Keep : Change<string>.To(model),
                Temperature = temperature is null ? Change<double?>.Keep : Change<double?>.To(temperature),
            },
            [.. items]);

    /// <summary>A chat turn (<c>/messages</c>), as the API host asks the grain for one.</summary>
    public static TurnRequest Send(string content, TurnOverrides? overrides = null) =>
        TurnSettings.ForMessage(IdGenerator.New(ResponseIds.Prefix), new SendMessage(content, Stream: false, overrides ?? TurnOverrides.None));

    public static TurnRequest Stream(string content, TurnOverrides? overrides = null) =>
        TurnSettings.ForMessage(IdGenerator.New(ResponseIds.Prefix), new SendMessage(content, Stream: true, overrides ?? TurnOverrides.None));

    /// <summary>A Responses API turn (<c>POST /v1/responses</c>) as the API host asks a grain for one: stored unless said otherwise.</summary>
    public static TurnRequest Respond(
        ImmutableArray<Item> input,
        ResponseSettings? settings = null,
        bool store = true,
        string? previousResponseId = null) =>
        new(IdGenerator.New(ResponseIds.Prefix), input, null, settings ?? ResponseSettings.Default, store, false, previousResponseId);

    /// <summary>A Responses API turn whose input is one user message.</summary>
    public static TurnRequest Respond(string text, ResponseSettings? settings = null, bool store = true, string? previousResponseId = null) =>
        Respond([Item(MessageRole.User, text)], settings, store, previousResponseId);

    /// <summary>Settings that offer the model one function, <c>get_weather(city)</c>.</summary>
    public static ResponseSettings WithWeatherTool { get; } = ResponseSettings.Default with
    {
        Tools = [new FunctionTool("get_weather", "Gets the current weather in a city", """{"type":"object","properties":{"city":{"type":"string"}},"required":["city"]}""", null)],
    };

    /// <summary>A function call output item as the API host parses it: no id, position or time yet.</summary>
    public static Item CallOutput(string callId, string output) =>
        new FunctionCallOutputItem("", 0, ItemStatus.Completed, default, null, callId, output);

    /// <summary>A function call item as a client sends it back: no id, position or time yet.</summary>
    public static Item Call(string callId, string name, string arguments) =>
        new FunctionCallItem("", 0, ItemStatus.Completed, default, null, callId, name, arguments);

    public static PageQuery Page(int limit = 100, SortOrder order = SortOrder.Ascending, string after = "") =>
        new(limit, order, after);

    public static ImmutableSortedDictionary<string, string> Metadata(params (string Key, string Value)[] pairs) =>
        pairs.ToImmutableSortedDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal);

    /// <summary>A seed item as the API host parses it: no id, position or time yet.</summary>
    public static Item Item(MessageRole role, string content) =>
        new MessageItem("", 0, ItemStatus.Completed, default, null, role,
            [role == MessageRole.Assistant ? ContentPart.OutputText.Of(content) : new ContentPart.InputText(content)]);
}
