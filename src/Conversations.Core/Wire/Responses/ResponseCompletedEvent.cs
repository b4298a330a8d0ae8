using System.Text.Json.Serialization;

namespace Conversations.Core.Wire.Responses;

/// <summary>Terminal: the whole response, with its full output and usage.</summary>
public sealed record ResponseCompletedEvent(int SequenceNumber, ResponseObject Response) : ResponseStreamEvent(SequenceNumber)
{
    public const string TypeName = "response.completed";

    [JsonIgnore]
    public override string EventType => TypeName;
}
