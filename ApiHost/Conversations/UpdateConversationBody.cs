using System.ComponentModel;
using Conversations.Core.Requests;

namespace Conversations.ApiHost.Conversations;

/// <summary>
/// The body of <c>POST /v1/conversations/{id}</c> as the OpenAPI document shows it; it mirrors what
/// <see cref="ConversationRequests.ParseUpdate"/> accepts.
/// </summary>
[Description("At least one of metadata and settings.")]
public sealed record UpdateConversationBody
{
    [Description("Replaces the metadata; null clears it.")]
    public IReadOnlyDictionary<string, string>? Metadata { get; init; }

    [Description("Merged into the settings: one not sent is kept; instructions, temperature, top_p and max_tokens sent as null are cleared.")]
    public ConversationSettingsBody? Settings { get; init; }
}
