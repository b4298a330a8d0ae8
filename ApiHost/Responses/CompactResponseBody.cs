using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using System.Text.Json;
using Conversations.Core.Requests;

namespace Conversations.ApiHost.Responses;

/// <summary>
/// The body of <c>POST /v1/responses/compact</c> as the OpenAPI document shows it. It is never deserialized:
/// <see cref="Core.Responses.ResponseRequests.ParseCompact"/> reads the body, and this mirrors what it accepts.
/// </summary>
[Description("Compact a context into one compaction item. Give a conversation, a previous_response_id, and/or input items.")]
public sealed record CompactResponseBody
{
    [Description("The model that writes the summary; defaults to the conversation's, else to the service's default model.")]
    [StringLength(RequestLimits.MaxModelLength, MinimumLength = 1)]
    public string? Model { get; init; }

    [Description("Items (or a string) to compact, after the previous_response_id chain if one is given. Not together with conversation.")]
    public JsonElement? Input { get; init; }

    [Description("This service's addition: a conversation (an id, or {id}) to compact. The compaction item is kept as its newest item, and later turns send it in place of everything before it.")]
    public JsonElement? Conversation { get; init; }

    [Description("The response whose chain (its context and output) is compacted.")]
    public string? PreviousResponseId { get; init; }

    [Description("Accepted and ignored: the summary is written under this service's own instructions.")]
    public string? Instructions { get; init; }
}
