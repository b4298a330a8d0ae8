using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using System.Text.Json;
using Conversations.Core.Requests;

namespace Conversations.ApiHost.Conversations;

/// <summary>
/// The body of <c>POST /v1/conversations/{id}/messages</c> as the OpenAPI document shows it; it mirrors
/// what <see cref="ConversationRequests.ParseSend"/> accepts. The overrides apply to this turn only.
/// </summary>
public sealed record SendMessageBody
{
    [Description(MessageContent.Description)]
    public required JsonElement Content { get; init; }

    [Description("Answer as server-sent events: chat.completion.chunk events, a usage chunk, then data: [DONE].")]
    public bool? Stream { get; init; }

    [StringLength(RequestLimits.MaxModelLength, MinimumLength = 1)]
    public string? Model { get; init; }

    [Range(0.0, 2.0)]
    public double? Temperature { get; init; }

    [Range(0.0, 1.0)]
    public double? TopP { get; init; }

    [Range(1, RequestLimits.MaxTokensCeiling)]
    public int? MaxTokens { get; init; }

    [Description("The newer name of max_tokens.")]
    [Range(1, RequestLimits.MaxTokensCeiling)]
    public int? MaxCompletionTokens { get; init; }
}
