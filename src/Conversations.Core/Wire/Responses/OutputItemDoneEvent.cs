using System.Text.Json.Serialization;

namespace Conversations.Core.Wire.Responses;

/// <summary>
/// An output item is whole: its final form, with the same id and type as when it was added.
/// </summary>
public sealed record OutputItemDoneEvent(int SequenceNumber, int OutputIndex, ItemObject Item) : ResponseStreamEvent(SequenceNumber)
{
    public const string TypeName = "response.output_item.done";

    [JsonIgnore]
    public override string EventType => TypeName;
}
