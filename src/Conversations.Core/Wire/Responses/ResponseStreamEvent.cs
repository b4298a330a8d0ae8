using System.Text.Json.Serialization;

namespace Conversations.Core.Wire.Responses;

/// <summary>
/// One server-sent event of a streamed response. Its JSON carries <c>type</c> (written first, from the
/// derived type) and <c>sequence_number</c>; <see cref="EventType"/> is the same name, for the SSE
/// <c>event:</c> line (as <c>SseItem.EventType</c>). Only event types from OpenAI's list exist here: the Node SDK's stream helper
/// throws on any other.
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
    /// <summary>Not written as a property: System.Text.Json writes the same name as the discriminator, and
    /// refuses a property that would also be called <c>type</c>, even an ignored one.</summary>
    [JsonIgnore]
    public abstract string EventType { get; }
}
