using Conversations.Core.Conversations;
using Conversations.Core.Errors;
using Conversations.Core.Messages;
using Conversations.Core.Upstream;
using Conversations.Core.Users;

namespace Conversations.Core.Wire;

/// <summary>Domain values as the objects the API writes.</summary>
public static class WireObjects
{
    public static ErrorEnvelope Error(ApiError error) =>
        new(new ErrorBody(error.Message, error.Type, error.Param, error.Code));

    public static ConversationObject Conversation(Conversation conversation) =>
        new(
            conversation.Id,
            "conversation",
            conversation.CreatedAt.ToUnixTimeSeconds(),
            conversation.Metadata,
            Settings(conversation.Settings),
            new ConversationUsageObject(
                conversation.Usage.Requests,
                conversation.Usage.Tokens.PromptTokens,
                conversation.Usage.Tokens.CompletionTokens,
                conversation.Usage.Tokens.TotalTokens));

    public static SettingsObject Settings(ConversationSettings settings) =>
        new(
            settings.Model,
            settings.Instructions.Length == 0 ? null : settings.Instructions,
            settings.Temperature,
            settings.TopP,
            settings.MaxTokens,
            settings.Truncation == Core.Responses.Truncation.Auto ? "auto" : "disabled");

    public static DeletedObject ConversationDeleted(string id) => new(id, "conversation.deleted", true);

    /// <summary>A stored message as a conversation lists it (the message shape of <see cref="ItemWire.InConversation"/>).</summary>
    public static ListObject<T> List<T>(IReadOnlyList<T> data, Func<T, string> id, bool hasMore) =>
        new("list", data, data.Count == 0 ? null : id(data[0]), data.Count == 0 ? null : id(data[^1]), hasMore);

    public static UsageObject Usage(TokenUsage usage) =>
        new(usage.PromptTokens, usage.CompletionTokens, usage.TotalTokens);

    /// <summary>A stored assistant reply as the <c>chat.completion</c> its turn answered with.</summary>
    public static ChatCompletionObject Completion(Core.Responses.ResponseRecord response)
    {
        var reply = Core.Responses.TurnResponses.Reply(response);
        return new(
            reply?.CompletionId ?? "",
            "chat.completion",
            response.CreatedAt.ToUnixTimeSeconds(),
            response.Model,
            [new ChoiceObject(0, new AssistantMessageObject("assistant", ReplyText(response), null), null, FinishReasonOrNull(reply?.FinishReason ?? ""))],
            Usage(response.Usage ?? TokenUsage.Zero));
    }

    /// <summary>
    /// A turn's reply as one chat message's content: the text of its output messages, or, when the model
    /// wrote no text, its refusal (a chat turn has one content to show).
    /// </summary>
    public static string ReplyText(Core.Responses.ResponseRecord response)
    {
        var text = new System.Text.StringBuilder();
        var refusal = new System.Text.StringBuilder();
        foreach (var item in response.Output)
        {
            if (item is Items.MessageItem message)
            {
                foreach (var part in message.Content)
                {
                    switch (part)
                    {
                        case Items.ContentPart.OutputText output:
                            text.Append(output.Text);
                            break;
                        case Items.ContentPart.Refusal declined:
                            refusal.Append(declined.Text);
                            break;
                    }
                }
            }
        }

        return text.Length > 0 ? text.ToString() : refusal.ToString();
    }

    /// <summary>The first chunk of a stream: the assistant role and empty content, as OpenAI starts one.</summary>
    public static ChunkObject RoleChunk(string completionId, long created, string model) =>
        new(completionId, "chat.completion.chunk", created, model, [new ChunkChoiceObject(0, new DeltaObject("assistant", ""), null, null)], null);

    public static ChunkObject ContentChunk(string completionId, long created, string model, string content) =>
        new(completionId, "chat.completion.chunk", created, model, [new ChunkChoiceObject(0, new DeltaObject(null, content), null, null)], null);

    /// <summary>The last content chunk: an empty delta and why generation stopped.</summary>
    public static ChunkObject FinishChunk(string completionId, long created, string model, string finishReason) =>
        new(completionId, "chat.completion.chunk", created, model, [new ChunkChoiceObject(0, new DeltaObject(null, null), null, FinishReasonOrNull(finishReason))], null);

    /// <summary>The usage chunk that <c>stream_options.include_usage</c> adds: no choices, only usage.</summary>
    public static ChunkObject UsageChunk(string completionId, long created, string model, TokenUsage usage) =>
        new(completionId, "chat.completion.chunk", created, model, [], Usage(usage));

    public static ModelObject Model(ModelInfo model) => new(model.Id, "model", model.Created, model.OwnedBy);

    public static ModelListObject Models(IEnumerable<ModelInfo> models) => new("list", models.Select(Model).ToList());

    public static UserObject User(User user) =>
        new(user.Id, "user", user.Name, new LimitsObject(user.Limits.RequestsPerMinute, user.Limits.TokensPerDay, user.Limits.ConcurrentStreams), user.CreatedAt.ToUnixTimeSeconds());

    /// <summary>A key as listed: never the key itself, only its visible prefix.</summary>
    public static ApiKeyObject Key(ApiKey key) =>
        new(key.Id, "api_key", key.UserId, null, key.Prefix, key.CreatedAt.ToUnixTimeSeconds(), key.RevokedAt?.ToUnixTimeSeconds());

    /// <summary>A key as issued: the only response that ever carries the full key.</summary>
    public static ApiKeyObject IssuedKey(ApiKey key, string fullKey) => Key(key) with { Key = fullKey };

    public static UsageReportObject UsageReport(string userId, UsageTotals total, UsageTotals today, Users.UserLimits? limits = null) =>
        new("usage", userId, Totals(total), Totals(today), limits is null ? null : new LimitsObject(limits.RequestsPerMinute, limits.TokensPerDay, limits.ConcurrentStreams));

    private static UsageTotalsObject Totals(UsageTotals totals) =>
        new(totals.Requests, totals.Tokens.PromptTokens, totals.Tokens.CompletionTokens, totals.Tokens.TotalTokens);

    private static string? FinishReasonOrNull(string finishReason) => finishReason.Length == 0 ? null : finishReason;
}
