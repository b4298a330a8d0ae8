using System.ComponentModel;
using System.Text.Json;

namespace Conversations.ApiHost.Conversations;

/// <summary>One of the <c>items</c> a conversation is created with, as the OpenAPI document shows it.</summary>
public sealed record SeedItemBody
{
    [Description("\"message\", the only kind supported; may be left out.")]
    public string? Type { get; init; }

    [Description("system, developer, user or assistant.")]
    public required string Role { get; init; }

    [Description(MessageContent.Description)]
    public required JsonElement Content { get; init; }
}
