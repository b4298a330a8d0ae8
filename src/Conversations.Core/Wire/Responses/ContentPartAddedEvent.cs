using System.Text.Json.Serialization;

namespace Conversations.Core.Wire.Responses;

/// <summary>A message's content part begins, empty, at the next position of its content.</summary>
public sealed record ContentPartAddedEvent(int SequenceNumber, string ItemId, int OutputIndex, int ContentIndex, ContentPartObject Part) : ResponseStreamEvent(SequenceNumber)
{
    public const string TypeName = "response.content_part.added";

    [JsonIgnore]
    public override string EventType => TypeName;
}
