using System.Collections.Immutable;
using Conversations.Abstractions.Storage;
using Conversations.Core.Conversations;
using Conversations.Core.Items;
using Conversations.Core.Messages;
using Conversations.Core.Responses;
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

    public static Item Input(long sequence, string content, MessageRole role = MessageRole.User) =>
        new MessageItem(NewId("msg"), sequence, ItemStatus.Completed, Start.AddSeconds(sequence), null, role, [new ContentPart.InputText(content)]);

    public static Item Reply(long sequence, string content, TokenUsage usage, ItemStatus status = ItemStatus.Completed) =>
        new MessageItem(
            NewId("msg"),
            sequence,
            status,
            Start.AddSeconds(sequence).AddTicks(7),
            new ReplyInfo(usage, "gpt-test-2025", status == ItemStatus.Completed ? "stop" : "", NewId("chatcmpl")),
            MessageRole.Assistant,
            [ContentPart.OutputText.Of(content)]);

    /// <summary>A user message and the reply to it, at <paramref name="sequence"/> and the next, with <paramref name="usage"/> on the reply.</summary>
    public static TurnRecord Turn(Conversation conversation, long sequence, TokenUsage usage, DateOnly? day = null) =>
        new(
            conversation.Id,
            conversation.OwnerId,
            [Input(sequence, $"question {sequence}"), Reply(sequence + 1, $"answer {sequence + 1}", usage)],
            usage,
            day ?? Today);

    /// <summary>A turn as <see cref="Turn"/> makes it, sent with <paramref name="key"/>, which names the turn's reply.</summary>
    public static TurnRecord KeyedTurn(Conversation conversation, long sequence, string key, DateTimeOffset? keyCreatedAt = null)
    {
        var turn = Turn(conversation, sequence, new TokenUsage(3, 4));
        return turn with { Key = new StoredTurnKey(key, NewId("hash"), turn.Items[^1].Id, keyCreatedAt ?? Start.AddSeconds(sequence).AddTicks(3)) };
    }

    /// <summary>
    /// The stored response of a conversation's turn whose input and output are the turn's items (all but the
    /// last are input), with settings a lossy document would drop.
    /// </summary>
    public static ResponseRecord Response(TurnRecord turn) =>
        new(
            Id: NewId("resp"),
            OwnerId: turn.OwnerId,
            ConversationId: turn.ConversationId,
            PreviousResponseId: null,
            CreatedAt: turn.Items[0].CreatedAt,
            CompletedAt: turn.Items[^1].CreatedAt,
            Status: ResponseStatus.Completed,
            Model: "gpt-test-2025",
            Settings: ResponseSettings.Default with
            {
                Instructions = "Answer briefly.",
                Temperature = 0.5,
                Tools = [new FunctionTool("get_weather", "Gets the weather", """{"type":"object","properties":{"city":{"type":"string"}}}""", true)],
                Metadata = ImmutableSortedDictionary<string, string>.Empty.Add("topic", "tea ☕"),
            },
            Input: turn.Items[..^1],
            Output: [turn.Items[^1]],
            Usage: turn.Usage,
            Error: null,
            IncompleteReason: null,
            Stored: true,
            Background: false);

    /// <summary>The turn, carrying its response (see <see cref="Response"/>) to be stored with it.</summary>
    public static TurnRecord WithResponse(this TurnRecord turn) => turn with { Response = Response(turn) };

    /// <summary>The text of a message item, for tests that compare what was said.</summary>
    public static string Text(this Item item) => ((MessageItem)item).Text;

    /// <summary>A stored answer with headers worth repeating, a body of <paramref name="body"/> (a short event stream by default).</summary>
    public static IdempotencyRecord Record(
        string? userId = null,
        string? key = null,
        DateTimeOffset? createdAt = null,
        DateTimeOffset? expiresAt = null,
        ImmutableSortedDictionary<string, string>? headers = null,
        byte[]? body = null)
    {
        var created = createdAt ?? Start;
        return new IdempotencyRecord(
            userId ?? NewId("user"),
            key ?? NewId("idem"),
            NewId("hash"),
            new StoredResponse(
                200,
                "text/event-stream; charset=utf-8",
                headers ?? ImmutableSortedDictionary.CreateRange(
                [
                    KeyValuePair.Create("x-request-id", NewId("req")),
                    KeyValuePair.Create("x-ratelimit-remaining-requests", "59"),
                ]),
                body ?? "data: {\"id\":\"chatcmpl-1\"}\n\ndata: [DONE]\n\n"u8.ToArray()),
            created,
            expiresAt ?? created.AddHours(24));
    }

    public static User User(DateTimeOffset? createdAt = null, UserLimits? limits = null) =>
        new(NewId("user"), "Ada Lovelace", limits ?? UserLimits.Defaults, createdAt ?? Start);

    public static ApiKey Key(string userId, DateTimeOffset? revokedAt = null) =>
        new(NewId("key"), userId, "sk-abc", Convert.ToHexStringLower(Guid.NewGuid().ToByteArray()) + "00ff", Start, revokedAt);
}
