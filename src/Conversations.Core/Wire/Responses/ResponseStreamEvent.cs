using System.Text.Json.Serialization;

namespace Conversations.Core.Wire.Responses;

/// <summary>
/// One server-sent event of a streamed response. Its JSON carries <c>type</c> (written first, from the
/// derived type) and <c>sequence_number</c>; <see cref="EventType"/> is the same name, for the SSE
/// <c>event:</c> line (as <c>SseItem.EventType</c>). Only event types from OpenAI's list exist here:
/// the Node SDK's stream helper throws on any other. Serialize an event as this type (as
/// <see cref="ResponseStream"/> returns them): as its own type it would be written without <c>type</c>.
/// </summary>
/// <param name="SequenceNumber">0 for <c>response.created</c>, then one more per event.</param>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "type")]
[JsonDerivedType(typeof(ResponseCreatedEvent), ResponseCreatedEvent.TypeName)]
[JsonDerivedType(typeof(ResponseInProgressEvent), ResponseInProgressEvent.TypeName)]
[JsonDerivedType(typeof(ResponseCompletedEvent), ResponseCompletedEvent.TypeName)]
[JsonDerivedType(typeof(ResponseIncompleteEvent), ResponseIncompleteEvent.TypeName)]
[JsonDerivedType(typeof(ResponseFailedEvent), ResponseFailedEvent.TypeName)]
[JsonDerivedType(typeof(OutputItemAddedEvent), OutputItemAddedEvent.TypeName)]
[JsonDerivedType(typeof(OutputItemDoneEvent), OutputItemDoneEvent.TypeName)]
[JsonDerivedType(typeof(ContentPartAddedEvent), ContentPartAddedEvent.TypeName)]
[JsonDerivedType(typeof(ContentPartDoneEvent), ContentPartDoneEvent.TypeName)]
[JsonDerivedType(typeof(OutputTextDeltaEvent), OutputTextDeltaEvent.TypeName)]
[JsonDerivedType(typeof(OutputTextDoneEvent), OutputTextDoneEvent.TypeName)]
[JsonDerivedType(typeof(RefusalDeltaEvent), RefusalDeltaEvent.TypeName)]
[JsonDerivedType(typeof(RefusalDoneEvent), RefusalDoneEvent.TypeName)]
[JsonDerivedType(typeof(FunctionCallArgumentsDeltaEvent), FunctionCallArgumentsDeltaEvent.TypeName)]
[JsonDerivedType(typeof(FunctionCallArgumentsDoneEvent), FunctionCallArgumentsDoneEvent.TypeName)]
[JsonDerivedType(typeof(ResponseErrorEvent), ResponseErrorEvent.TypeName)]
public abstract record ResponseStreamEvent([property: JsonPropertyOrder(-1)] int SequenceNumber)
{
    /// <summary>
    /// Not called <c>Type</c>: System.Text.Json refuses a property named like the discriminator, even an
    /// ignored one. Each override repeats <c>[JsonIgnore]</c>, since the attribute is read from the override.
    /// </summary>
    [JsonIgnore]
    public abstract string EventType { get; }
}
