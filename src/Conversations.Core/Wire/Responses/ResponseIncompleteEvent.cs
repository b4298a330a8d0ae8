using System.Text.Json.Serialization;

namespace Conversations.Core.Wire.Responses;

/// <summary>
/// Terminal: the response stopped early (token limit, content filter, cancelled); its output so far and
/// why.
/// </summary>
public sealed record ResponseIncompleteEvent(int SequenceNumber, ResponseObject Response) : ResponseStreamEvent(SequenceNumber)
{
    public const string TypeName = "response.incomplete";

    [JsonIgnore]
    public override string EventType => TypeName;
}
