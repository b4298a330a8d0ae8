using System.Text.Json;

namespace Conversations.Core.Wire.Responses;

/// <summary>
/// A Response (<c>object: "response"</c>): every field the official SDKs read, always present, null only
/// where OpenAI allows it. Settings the service does not act on carry OpenAI's defaults, as numbers
/// rather than nulls, which the stricter Open Responses schema asks for.
/// </summary>
/// <param name="CreatedAt">Whole unix seconds: the .NET SDK refuses a fraction.</param>
/// <param name="Status"><c>queued</c>, <c>in_progress</c>, <c>completed</c>, <c>incomplete</c>, <c>failed</c> or <c>cancelled</c>.</param>
/// <param name="CompletedAt">Set only once the response has completed.</param>
/// <param name="Output">Never null: the Node SDK iterates it unconditionally and the .NET SDK refuses a null.</param>
/// <param name="ToolChoice"><c>"none"</c>, <c>"auto"</c>, <c>"required"</c>, or <c>{"type":"function","name":…}</c>.</param>
/// <param name="Temperature">As asked, else OpenAI's default 1.</param>
/// <param name="TopP">As asked, else OpenAI's default 1.</param>
public sealed record ResponseObject(
    string Id,
    string Object,
    long CreatedAt,
    string Status,
    bool Background,
    long? CompletedAt,
    ConversationReferenceObject? Conversation,
    ResponseErrorObject? Error,
    IncompleteDetailsObject? IncompleteDetails,
    string? Instructions,
    int? MaxOutputTokens,
    int? MaxToolCalls,
    IReadOnlyDictionary<string, string> Metadata,
    string Model,
    IReadOnlyList<ItemObject> Output,
    bool ParallelToolCalls,
    string? PreviousResponseId,
    string? PromptCacheKey,
    ReasoningObject? Reasoning,
    string? SafetyIdentifier,
    string ServiceTier,
    bool Store,
    double Temperature,
    TextObject Text,
    JsonElement ToolChoice,
    IReadOnlyList<FunctionToolObject> Tools,
    int TopLogprobs,
    double TopP,
    double FrequencyPenalty,
    double PresencePenalty,
    string Truncation,
    ResponseUsageObject? Usage,
    string? User);
