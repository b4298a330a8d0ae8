using System.Text.Json;
using System.Text.Json.Serialization;

namespace Conversations.Core.Wire.Responses;

/// <summary>An <c>output_text</c> part's whole text.</summary>
public sealed record OutputTextDoneEvent(int SequenceNumber, string ItemId, int OutputIndex, int ContentIndex, string Text, IReadOnlyList<JsonElement> Logprobs) : ResponseStreamEvent(SequenceNumber)
{
    public const string TypeName = "response.output_text.done";

    [JsonIgnore]
    public override string EventType => TypeName;
}
