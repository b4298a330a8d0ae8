using System.Text.Json.Serialization;

namespace Conversations.Core.Wire.Responses;

/// <summary>
/// The response is being generated: the same snapshot as <c>response.created</c>, before any output.
/// </summary>
public sealed record ResponseInProgressEvent(int SequenceNumber, ResponseObject Response) : ResponseStreamEvent(SequenceNumber)
{
    public const string TypeName = "response.in_progress";

    [JsonIgnore]
    public override string EventType => TypeName;
}
