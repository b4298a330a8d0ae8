using System.Collections.Immutable;
using Conversations.Abstractions.Storage;
using Conversations.Core.Conversations;
using Conversations.Core.Messages;
using Conversations.Core.Users;

namespace Conversations.Store.Tests.Harness;

/// <summary>Test data. Ids are unique per call; times carry sub-millisecond ticks so precision loss would show.</summary>
internal static class Samples
{
    /// <summary>A time with ticks below the microsecond, which any rounding store would lose.</summary>
    public static readonly DateTimeOffset Start = new DateTimeOffset(2025, 3, 4, 5, 6, 7, TimeSpan.Zero).AddTicks(1_234_567);

    public static readonly DateOnly Today = new(2025, 3, 4);

    public static string NewId(string prefix) => $"{prefix}_{Guid.NewGuid():N}";

    public static Conversation Conversation(
        string? ownerId = null,
        DateTimeOffset? createdAt = null,
        ImmutableSortedDictionary<string, string>? metadata = null,
        ConversationSettings? settings = null) =>
        new(
            NewId("conv"),
            ownerId ?? NewId("user"),
            createdAt ?? Start,
            metadata ?? ImmutableSortedDictionary<string, string>.Empty,
            settings ?? ConversationSettings.ForModel("gpt-test"),
            ConversationUsage.None);

    public static Message Input(long sequence, string content, MessageRole role = MessageRole.User) =>
        Message.Input(NewId("msg"), sequence, role, content, Start.AddSeconds(sequence));

    public static Message Reply(long sequence, string content, TokenUsage usage, MessageStatus status = MessageStatus.Completed) =>
        new(
            NewId("msg"),
            sequence,
            MessageRole.Assistant,
            content,
            status,
            Start.AddSeconds(sequence).AddTicks(7),
            usage,
            "gpt-test-2025",
            status == MessageStatus.Completed ? "stop" : "",
            NewId("chatcmpl"));

    /// <summary>A user message and the reply to it, at <paramref name="sequence"/> and the next, with <paramref name="usage"/> on the reply.</summary>
    public static TurnRecord Turn(Conversation conversation, long sequence, TokenUsage usage, DateOnly? day = null) =>
        new(
            conversation.Id,
            conversation.OwnerId,
            [Input(sequence, $"question {sequence}"), Reply(sequence + 1, $"answer {sequence + 1}", usage)],
            usage,
            day ?? Today);

    public static User User(DateTimeOffset? createdAt = null, UserLimits? limits = null) =>
        new(NewId("user"), "Ada Lovelace", limits ?? UserLimits.Defaults, createdAt ?? Start);

    public static ApiKey Key(string userId, DateTimeOffset? revokedAt = null) =>
        new(NewId("key"), userId, "sk-abc", Convert.ToHexStringLower(Guid.NewGuid().ToByteArray()) + "00ff", Start, revokedAt);
}
