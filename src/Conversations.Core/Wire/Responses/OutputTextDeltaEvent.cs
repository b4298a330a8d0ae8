using System.Text.Json;
using System.Text.Json.Serialization;

namespace Conversations.Core.Wire.Responses;

/// <summary>
/// More text of an <c>output_text</c> part; <c>logprobs</c> is always an array (the .NET SDK refuses a
/// null).
/// </summary>
public sealed record OutputTextDeltaEvent(int SequenceNumber, string ItemId, int OutputIndex, int ContentIndex, string Delta, IReadOnlyList<JsonElement> Logprobs) : ResponseStreamEvent(SequenceNumber)
{
    public const string TypeName = "response.output_text.delta";

    [JsonIgnore]
    public override string EventType => TypeName;
}
