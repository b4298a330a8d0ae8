using System.ComponentModel;

namespace Conversations.ApiHost.Conversations;

/// <summary>A function call the model made, sent back as an item, as the OpenAPI document shows it.</summary>
public sealed record FunctionCallItemBody : ItemBody
{
    [Description("The call's id, which its output names.")]
    public required string CallId { get; init; }

    public required string Name { get; init; }

    [Description("The call's arguments, a JSON text.")]
    public required string Arguments { get; init; }
}
