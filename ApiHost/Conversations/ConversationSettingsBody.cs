using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using Conversations.Core.Requests;

namespace Conversations.ApiHost.Conversations;

/// <summary>A conversation's <c>settings</c> in a request body, as the OpenAPI document shows them.</summary>
public sealed record ConversationSettingsBody
{
    [StringLength(RequestLimits.MaxModelLength, MinimumLength = 1)]
    public string? Model { get; init; }

    [Description("The system prompt sent before the history.")]
    [MaxLength(RequestLimits.MaxInstructionsLength)]
    public string? Instructions { get; init; }

    [Range(0.0, 2.0)]
    public double? Temperature { get; init; }

    [Range(0.0, 1.0)]
    public double? TopP { get; init; }

    [Range(1, RequestLimits.MaxTokensCeiling)]
    public int? MaxTokens { get; init; }

    [Description("The newer name of max_tokens.")]
    [Range(1, RequestLimits.MaxTokensCeiling)]
    public int? MaxCompletionTokens { get; init; }

    [Description("What a turn does when the conversation no longer fits its model's context window: \"disabled\" (the default) refuses it with 400 context_length_exceeded, \"auto\" leaves the oldest items out of what is sent (they stay stored).")]
    public string? Truncation { get; init; }
}
