using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using Conversations.Core.Requests;

namespace Conversations.ApiHost.Conversations;

/// <summary>
/// The body of <c>POST /v1/conversations</c> as the OpenAPI document shows it. It is never deserialized:
/// <see cref="ConversationRequests.ParseCreate"/> reads the body, and this mirrors what it accepts.
/// </summary>
[Description("Every field is optional; unknown fields are refused.")]
public sealed record CreateConversationBody
{
    [Description("String keys and values: at most 16 pairs, keys up to 64 characters, values up to 512.")]
    public IReadOnlyDictionary<string, string>? Metadata { get; init; }

    [Description("How the conversation's turns are answered; omitted settings take the service's defaults.")]
    public ConversationSettingsBody? Settings { get; init; }

    [Description("Items the conversation starts with, oldest first.")]
    [MaxLength(RequestLimits.MaxSeedItems)]
    public IReadOnlyList<ItemBody>? Items { get; init; }
}
