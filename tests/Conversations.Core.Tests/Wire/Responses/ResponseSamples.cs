using System.Collections.Immutable;
using Conversations.Core.Items;
using Conversations.Core.Messages;
using Conversations.Core.Responses;

namespace Conversations.Core.Tests.Wire.Responses;

/// <summary>Responses and items as a turn would make them, at fixed times and ids.</summary>
internal static class ResponseSamples
{
    public const long CreatedSeconds = 1_741_944_413;
    public const long CompletedSeconds = 1_741_944_415;
    public static readonly DateTimeOffset Created = DateTimeOffset.FromUnixTimeSeconds(CreatedSeconds);
    public static readonly DateTimeOffset Completed = DateTimeOffset.FromUnixTimeSeconds(CompletedSeconds);

    public static readonly ReplyInfo Reply = new(new TokenUsage(12, 3), "gpt-4o-mini", "stop", "chatcmpl-1");

    public static MessageItem UserText(string text, string id = "msg_in") =>
        new(id, 1, ItemStatus.Completed, Created, null, MessageRole.User, [new ContentPart.InputText(text)]);

    public static MessageItem AssistantText(string text, string id = "msg_out", ItemStatus status = ItemStatus.Completed) =>
        new(id, 2, status, Created, null, MessageRole.Assistant, [ContentPart.OutputText.Of(text)]);

    public static MessageItem AssistantRefusal(string refusal, string id = "msg_out") =>
        new(id, 2, ItemStatus.Completed, Created, null, MessageRole.Assistant, [new ContentPart.Refusal(refusal)]);

    public static FunctionCallItem Call(string id, string callId, string name, string arguments, ItemStatus status = ItemStatus.Completed) =>
        new(id, 3, status, Created, null, callId, name, arguments);

    /// <summary>A response as it starts: in progress, nothing produced yet.</summary>
    public static ResponseRecord Started(ResponseSettings? settings = null, string? conversationId = null, bool background = false) =>
        new(
            "resp_1", "user_1", conversationId, null, Created, null, ResponseStatus.InProgress, "gpt-4o-mini",
            settings ?? ResponseSettings.Default, [UserText("Hello")], [], null, null, null, Stored: true, Background: background);

    public static ResponseRecord CompletedWith(params Item[] output) =>
        Started() with
        {
            Status = ResponseStatus.Completed,
            CompletedAt = Completed,
            Output = [.. output],
            Usage = new TokenUsage(12, 3, CachedTokens: 4, ReasoningTokens: 1),
        };

    public static ImmutableArray<Item> Items(params Item[] items) => [.. items];
}
