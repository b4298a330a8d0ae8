using System.Collections.Frozen;
using System.Text.Json;
using Conversations.Core.Errors;
using Conversations.Core.Messages;
using Conversations.Core.Responses;

namespace Conversations.Core.Wire.Responses;

/// <summary>Responses as the objects the Responses API writes.</summary>
public static class ResponseWire
{
    /// <summary>
    /// OpenAI's <c>ResponseErrorCode</c> list, plus <c>context_length_exceeded</c>, which OpenAI sends in
    /// <c>response.failed</c> too (agents such as Codex compact their context on it).
    /// </summary>
    private static readonly FrozenSet<string> ErrorCodes = FrozenSet.Create(
        "server_error", "rate_limit_exceeded", "invalid_prompt", "data_residency_mismatch", "bio_policy",
        "vector_store_timeout", "invalid_image", "invalid_image_format", "invalid_base64_image", "invalid_image_url",
        "image_too_large", "image_too_small", "image_parse_error", "image_content_policy_violation", "invalid_image_mode",
        "image_file_too_large", "unsupported_image_media_type", "empty_image_file", "failed_to_download_image",
        "image_file_not_found", "context_length_exceeded");

    private static readonly JsonElement ChoiceNone = StringElement("none");
    private static readonly JsonElement ChoiceAuto = StringElement("auto");
    private static readonly JsonElement ChoiceRequired = StringElement("required");

    public static ResponseObject Response(ResponseRecord response)
    {
        var settings = response.Settings;
        return new ResponseObject(
            response.Id,
            "response",
            response.CreatedAt.ToUnixTimeSeconds(),
            Status(response.Status),
            response.Background,
            response.Status == ResponseStatus.Completed ? response.CompletedAt?.ToUnixTimeSeconds() : null,
            response.ConversationId is { } conversationId ? new ConversationReferenceObject(conversationId) : null,
            response.Error is { } error ? Error(error) : null,
            response.IncompleteReason is { } reason ? new IncompleteDetailsObject(reason) : null,
            settings.Instructions,
            settings.MaxOutputTokens,
            null,
            settings.Metadata,
            response.Model,
            response.Output.Select(ItemWire.Of).ToList(),
            settings.ParallelToolCalls,
            response.PreviousResponseId,
            settings.PromptCacheKey,
            settings.ReasoningEffort is { } effort ? new ReasoningObject(effort, null) : null,
            settings.SafetyIdentifier,
            "default",
            response.Stored,
            settings.Temperature ?? 1,
            new TextObject(Format(settings.Text)),
            ToolChoice(settings.ToolChoice),
            settings.Tools.Select(Tool).ToList(),
            0,
            settings.TopP ?? 1,
            0,
            0,
            TruncationMode(settings.Truncation ?? Truncation.Disabled),
            response.Usage is { } usage ? Usage(usage) : null,
            settings.User);
    }

    public static string Status(ResponseStatus status) => status switch
    {
        ResponseStatus.Queued => "queued",
        ResponseStatus.InProgress => "in_progress",
        ResponseStatus.Completed => "completed",
        ResponseStatus.Incomplete => "incomplete",
        ResponseStatus.Failed => "failed",
        ResponseStatus.Cancelled => "cancelled",
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, "Unknown response status."),
    };

    /// <summary>A failure's <c>error</c> object; a code outside OpenAI's list is written as <c>server_error</c>.</summary>
    public static ResponseErrorObject Error(ResponseFailure failure) =>
        new(ErrorCodes.Contains(failure.Code) ? failure.Code : "server_error", failure.Message);

    /// <summary>
    /// How a response that failed with this error records it: the error's own code when OpenAI's list
    /// has it, <c>rate_limit_exceeded</c> for any 429, else <c>server_error</c>. Its message is kept.
    /// </summary>
    public static ResponseFailure Failure(ApiError error) =>
        new(error.Code is { } code && ErrorCodes.Contains(code) ? code
            : error.Status == 429 ? "rate_limit_exceeded"
            : "server_error",
            error.Message);

    /// <summary>Usage in the Responses API's words: input is the prompt, output the completion.</summary>
    public static ResponseUsageObject Usage(TokenUsage usage) =>
        new(
            usage.PromptTokens,
            new InputTokensDetailsObject(usage.CachedTokens, 0),
            usage.CompletionTokens,
            new OutputTokensDetailsObject(usage.ReasoningTokens),
            usage.TotalTokens);

    /// <summary>
    /// The answer to <c>DELETE /v1/responses/{id}</c>. <c>response.deleted</c> is what OpenAI's reference
    /// and the .NET SDK's <c>ResponseDeletionResult</c> name it (and matches <c>conversation.deleted</c>);
    /// no SDK checks the value.
    /// </summary>
    public static DeletedObject Deleted(string id) => new(id, "response.deleted", true);

    public static InputTokensObject InputTokens(long count) => new("response.input_tokens", count);

    public static CompactionObject Compaction(Context.CompactionResult result) =>
        new(result.Id, "response.compaction", [.. result.Output.Select(ItemWire.Of)], result.CreatedAt.ToUnixTimeSeconds(), Usage(result.Usage));

    private static string TruncationMode(Truncation truncation) => truncation switch
    {
        Truncation.Disabled => "disabled",
        Truncation.Auto => "auto",
        _ => throw new ArgumentOutOfRangeException(nameof(truncation), truncation, "Unknown truncation."),
    };

    private static TextFormatObject Format(TextFormat format) => format switch
    {
        TextFormat.Text => new PlainTextFormatObject(),
        TextFormat.JsonObject => new JsonObjectFormatObject(),
        TextFormat.JsonSchema schema => new JsonSchemaFormatObject(schema.Name, JsonElement.Parse(schema.SchemaJson), schema.Description, schema.Strict),
        _ => throw new ArgumentOutOfRangeException(nameof(format), format, "Unknown text format."),
    };

    private static JsonElement ToolChoice(ToolChoice choice) => choice switch
    {
        ToolChoice.Mode { Name: "none" } => ChoiceNone,
        ToolChoice.Mode { Name: "auto" } => ChoiceAuto,
        ToolChoice.Mode { Name: "required" } => ChoiceRequired,
        ToolChoice.Mode mode => StringElement(mode.Name),
        ToolChoice.Function function => JsonSerializer.SerializeToElement(
            new FunctionToolChoiceObject("function", function.Name), WireJson.Api.FunctionToolChoiceObject),
        _ => throw new ArgumentOutOfRangeException(nameof(choice), choice, "Unknown tool choice."),
    };

    private static FunctionToolObject Tool(FunctionTool tool) =>
        new("function", tool.Name, tool.Description, tool.ParametersJson is { } parameters ? JsonElement.Parse(parameters) : null, tool.Strict);

    private static JsonElement StringElement(string value) => JsonSerializer.SerializeToElement(value, WireJson.Api.String);
}
