using System.Text.Json.Serialization;

namespace Conversations.Core.Wire.Responses;

/// <summary>
/// A failure after the stream began, in the flat shape of the Responses spec (the .NET SDK reads only
/// this one): its code, message and param. The Node SDK throws on it; <c>response.failed</c> follows
/// for the others.
/// </summary>
public sealed record ResponseErrorEvent(int SequenceNumber, string Code, string Message, string? Param) : ResponseStreamEvent(SequenceNumber)
{
    public const string TypeName = "error";

    [JsonIgnore]
    public override string EventType => TypeName;
}
