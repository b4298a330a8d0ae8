using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using System.Text.Json;
using Conversations.ApiHost.Conversations;
using Conversations.Core.Requests;

namespace Conversations.ApiHost.Responses;

/// <summary>
/// The body of <c>POST /v1/responses</c> as the OpenAPI document shows it. It is never deserialized:
/// <see cref="Core.Responses.ResponseRequests.ParseCreate"/> reads the body, and this mirrors what it accepts.
/// </summary>
[Description("OpenAI's Responses API. Unknown fields are refused; the SDKs' fields this service does not act on are accepted.")]
public sealed record CreateResponseBody
{
    [Description("The model; on a conversation it defaults to the conversation's, else to the service's default model.")]
    [StringLength(RequestLimits.MaxModelLength, MinimumLength = 1)]
    public string? Model { get; init; }

    [Description("A string (one user message), or an array of items. Required unless conversation or previous_response_id is given.")]
    public JsonElement? Input { get; init; }

    [Description("A system message for this response only: never stored as an item, never carried forward.")]
    public string? Instructions { get; init; }

    [Description("The conversation (an id, or {id}): its items go before the input, and the input and output are appended to it when the response ends.")]
    public JsonElement? Conversation { get; init; }

    [Description("The response this one continues (its context and output go before the input). Not together with conversation.")]
    public string? PreviousResponseId { get; init; }

    [Description("Keep the response to be retrieved and continued (default true).")]
    public bool? Store { get; init; }

    [Description("Answer as server-sent events: response.created, the output item by item, then response.completed, response.incomplete or response.failed.")]
    public bool? Stream { get; init; }

    [Description("Run the response in the background: the call answers at once (in_progress), the turn runs whether or not anyone listens; retrieve, resume (stream=true, starting_after) or cancel it by id. Needs store: true.")]
    public bool? Background { get; init; }

    [Description("[{\"type\": \"compaction\", \"compact_threshold\": 1000 or more}]: compact the context into one compaction item before the turn once it has that many tokens (without a threshold: once it takes 80% of what the model's window leaves for it).")]
    public JsonElement? ContextManagement { get; init; }

    [Range(0.0, 2.0)]
    public double? Temperature { get; init; }

    [Range(0.0, 1.0)]
    public double? TopP { get; init; }

    [Description("The output token cap; a response cut by it ends as incomplete (max_output_tokens).")]
    [Range(16, RequestLimits.MaxTokensCeiling)]
    public int? MaxOutputTokens { get; init; }

    [Description("String keys and values: at most 16 pairs, keys up to 64 characters, values up to 512.")]
    public IReadOnlyDictionary<string, string>? Metadata { get; init; }

    [Description("Function tools {type: \"function\", name, description?, parameters?, strict?}; hosted tools are refused.")]
    public IReadOnlyList<JsonElement>? Tools { get; init; }

    [Description("none, auto, required, or {type: \"function\", name}.")]
    public JsonElement? ToolChoice { get; init; }

    public bool? ParallelToolCalls { get; init; }

    [Description("{format: {type: \"text\"} | {type: \"json_object\"} | {type: \"json_schema\", name, schema, description?, strict?}}.")]
    public JsonElement? Text { get; init; }

    [Description("{effort: none|minimal|low|medium|high|xhigh|max}, passed on as reasoning_effort.")]
    public JsonElement? Reasoning { get; init; }

    [Description("What to do with an input longer than the model's context window: \"disabled\" refuses it with 400 context_length_exceeded before the model is called; \"auto\" leaves the oldest items out of what is sent. Left out, a conversation's setting applies, else disabled.")]
    public string? Truncation { get; init; }

    [MaxLength(RequestLimits.MaxUserLength)]
    public string? User { get; init; }

    [MaxLength(RequestLimits.MaxSafetyIdentifierLength)]
    public string? SafetyIdentifier { get; init; }

    [MaxLength(RequestLimits.MaxPromptCacheKeyLength)]
    public string? PromptCacheKey { get; init; }

    [Description("Accepted and checked; message.output_text.logprobs and the others change nothing here.")]
    public IReadOnlyList<string>? Include { get; init; }
}
