using System.Text.Json.Serialization;

namespace Conversations.Core.Wire.Responses;

/// <summary>
/// Terminal: the response failed; its <c>error</c> says why, its output is what arrived first.
/// </summary>
public sealed record ResponseFailedEvent(int SequenceNumber, ResponseObject Response) : ResponseStreamEvent(SequenceNumber)
{
    public const string TypeName = "response.failed";

    [JsonIgnore]
    public override string EventType => TypeName;
}
