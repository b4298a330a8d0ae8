using System.Text.Json.Serialization;

namespace Conversations.Core.Wire.Responses;

/// <summary>A <c>refusal</c> part's whole text.</summary>
public sealed record RefusalDoneEvent(int SequenceNumber, string ItemId, int OutputIndex, int ContentIndex, string Refusal) : ResponseStreamEvent(SequenceNumber)
{
    public const string TypeName = "response.refusal.done";

    [JsonIgnore]
    public override string EventType => TypeName;
}
