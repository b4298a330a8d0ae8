using System.Text.Json.Serialization;

namespace Conversations.Core.Wire.Responses;

/// <summary>
/// The first event: the response as it starts (<c>in_progress</c>, or <c>queued</c> in the background),
/// with no output yet.
/// </summary>
public sealed record ResponseCreatedEvent(int SequenceNumber, ResponseObject Response) : ResponseStreamEvent(SequenceNumber)
{
    public const string TypeName = "response.created";

    [JsonIgnore]
    public override string EventType => TypeName;
}
