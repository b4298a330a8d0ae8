using System.Text.Json.Serialization;

namespace Conversations.Core.Wire.Responses;

/// <summary>A function call's whole arguments, with the function's name.</summary>
public sealed record FunctionCallArgumentsDoneEvent(int SequenceNumber, string ItemId, int OutputIndex, string Name, string Arguments) : ResponseStreamEvent(SequenceNumber)
{
    public const string TypeName = "response.function_call_arguments.done";

    [JsonIgnore]
    public override string EventType => TypeName;
}
