using System.ComponentModel;
using System.Text.Json;

namespace Conversations.ApiHost.Conversations;

/// <summary>What a client's function returned, as an item, as the OpenAPI document shows it.</summary>
public sealed record FunctionCallOutputItemBody : ItemBody
{
    [Description("The id of the call it answers.")]
    public required string CallId { get; init; }

    [Description("A string, or input_text parts (joined).")]
    public required JsonElement Output { get; init; }
}
