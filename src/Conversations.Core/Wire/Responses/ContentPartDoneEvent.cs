using System.Text.Json.Serialization;

namespace Conversations.Core.Wire.Responses;

/// <summary>A message's content part is whole.</summary>
public sealed record ContentPartDoneEvent(int SequenceNumber, string ItemId, int OutputIndex, int ContentIndex, ContentPartObject Part) : ResponseStreamEvent(SequenceNumber)
{
    public const string TypeName = "response.content_part.done";

    [JsonIgnore]
    public override string EventType => TypeName;
}
