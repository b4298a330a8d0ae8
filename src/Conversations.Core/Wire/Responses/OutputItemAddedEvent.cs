using System.Text.Json.Serialization;

namespace Conversations.Core.Wire.Responses;

/// <summary>
/// An output item begins, at the next position: a message with no content yet, or a function call with
/// no arguments yet.
/// </summary>
public sealed record OutputItemAddedEvent(int SequenceNumber, int OutputIndex, ItemObject Item) : ResponseStreamEvent(SequenceNumber)
{
    public const string TypeName = "response.output_item.added";

    [JsonIgnore]
    public override string EventType => TypeName;
}
