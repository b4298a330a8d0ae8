using System.Text.Json.Serialization;

namespace Conversations.Core.Wire.Responses;

/// <summary>More of a function call's arguments.</summary>
public sealed record FunctionCallArgumentsDeltaEvent(int SequenceNumber, string ItemId, int OutputIndex, string Delta) : ResponseStreamEvent(SequenceNumber)
{
    public const string TypeName = "response.function_call_arguments.delta";

    [JsonIgnore]
    public override string EventType => TypeName;
}
