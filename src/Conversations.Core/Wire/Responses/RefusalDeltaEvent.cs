using System.Text.Json.Serialization;

namespace Conversations.Core.Wire.Responses;

/// <summary>More of a <c>refusal</c> part.</summary>
public sealed record RefusalDeltaEvent(int SequenceNumber, string ItemId, int OutputIndex, int ContentIndex, string Delta) : ResponseStreamEvent(SequenceNumber)
{
    public const string TypeName = "response.refusal.delta";

    [JsonIgnore]
    public override string EventType => TypeName;
}
