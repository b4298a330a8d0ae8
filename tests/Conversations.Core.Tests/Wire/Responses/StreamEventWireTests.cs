using System.Reflection;
using System.Text.Json;
using System.Text.Json.Serialization;
using Conversations.Core.Wire;
using Conversations.Core.Wire.Responses;
using static Conversations.Core.Tests.Wire.Responses.ResponseSamples;
using static Conversations.Core.Tests.Wire.WireShape;

namespace Conversations.Core.Tests.Wire.Responses;

/// <summary>Every stream event type, as written on its own.</summary>
public class StreamEventWireTests
{
    private static readonly ResponseObject Snapshot = ResponseWire.Response(Started());
    private static readonly ItemObject Message = new MessageItemObject("msg_1", "assistant", "in_progress", [], null);
    private static readonly ContentPartObject Part = new OutputTextPartObject("", [], []);

    /// <summary>One of each event type, with the keys its JSON must have, in order.</summary>
    public static TheoryData<ResponseStreamEvent, string[]> EveryEvent() => new()
    {
        { new ResponseCreatedEvent(0, Snapshot), ["type", "sequence_number", "response"] },
        { new ResponseInProgressEvent(1, Snapshot), ["type", "sequence_number", "response"] },
        { new ResponseCompletedEvent(9, Snapshot), ["type", "sequence_number", "response"] },
        { new ResponseIncompleteEvent(9, Snapshot), ["type", "sequence_number", "response"] },
        { new ResponseFailedEvent(9, Snapshot), ["type", "sequence_number", "response"] },
        { new OutputItemAddedEvent(2, 0, Message), ["type", "sequence_number", "output_index", "item"] },
        { new OutputItemDoneEvent(8, 0, Message), ["type", "sequence_number", "output_index", "item"] },
        { new ContentPartAddedEvent(3, "msg_1", 0, 0, Part), ["type", "sequence_number", "item_id", "output_index", "content_index", "part"] },
        { new ContentPartDoneEvent(7, "msg_1", 0, 0, Part), ["type", "sequence_number", "item_id", "output_index", "content_index", "part"] },
        { new OutputTextDeltaEvent(4, "msg_1", 0, 0, "Hi", []), ["type", "sequence_number", "item_id", "output_index", "content_index", "delta", "logprobs"] },
        { new OutputTextDoneEvent(5, "msg_1", 0, 0, "Hi", []), ["type", "sequence_number", "item_id", "output_index", "content_index", "text", "logprobs"] },
        { new RefusalDeltaEvent(4, "msg_1", 0, 0, "No"), ["type", "sequence_number", "item_id", "output_index", "content_index", "delta"] },
        { new RefusalDoneEvent(5, "msg_1", 0, 0, "No"), ["type", "sequence_number", "item_id", "output_index", "content_index", "refusal"] },
        { new FunctionCallArgumentsDeltaEvent(4, "fc_1", 0, "{"), ["type", "sequence_number", "item_id", "output_index", "delta"] },
        { new FunctionCallArgumentsDoneEvent(5, "fc_1", 0, "f", "{}"), ["type", "sequence_number", "item_id", "output_index", "name", "arguments"] },
        { new ResponseErrorEvent(8, "server_error", "Boom.", null), ["type", "sequence_number", "code", "message", "param"] },
    };

    [Theory]
    [MemberData(nameof(EveryEvent))]
    public void Each_event_is_written_with_its_type_first_and_exactly_its_keys(ResponseStreamEvent streamEvent, string[] keys)
    {
        var json = Of(streamEvent);

        Assert.Equal(keys, Keys(json));
        Assert.Equal(streamEvent.EventType, json.GetProperty("type").GetString());
        Assert.Equal(streamEvent.SequenceNumber, json.GetProperty("sequence_number").GetInt32());
    }

    [Theory]
    [MemberData(nameof(EveryEvent))]
    public void Each_event_type_is_one_the_node_sdk_knows(ResponseStreamEvent streamEvent, string[] keys)
    {
        Assert.Contains(streamEvent.EventType, NodeStreamRules.KnownTypes);
        Assert.NotEmpty(keys);
    }

    [Fact]
    public void Every_event_type_the_stream_can_write_is_covered_above()
    {
        var declared = typeof(ResponseStreamEvent).GetCustomAttributes<JsonDerivedTypeAttribute>().Select(a => (a.DerivedType, Name: (string)a.TypeDiscriminator!)).ToList();
        var covered = EveryEvent().Select(row => (ResponseStreamEvent)row[0]).ToList();

        Assert.Equal(declared.Select(d => d.DerivedType).Order(Comparer<Type>.Create((a, b) => string.CompareOrdinal(a.Name, b.Name))), covered.Select(e => e.GetType()).Order(Comparer<Type>.Create((a, b) => string.CompareOrdinal(a.Name, b.Name))));
        Assert.All(covered, e => Assert.Equal(declared.Single(d => d.DerivedType == e.GetType()).Name, e.EventType));
    }

    [Fact]
    public void The_error_event_is_flat_with_a_null_param_when_there_is_none()
    {
        Assert.Equal(
            """{"type":"error","sequence_number":8,"code":"server_error","message":"Boom.","param":null}""",
            System.Text.Encoding.UTF8.GetString(WireJson.Serialize<ResponseStreamEvent>(new ResponseErrorEvent(8, "server_error", "Boom.", null))));
    }

    [Fact]
    public void An_event_fits_one_sse_data_line()
    {
        var bytes = WireJson.Serialize<ResponseStreamEvent>(new OutputTextDeltaEvent(4, "msg_1", 0, 0, "line one\nline two\r\n\u2028", []));

        Assert.DoesNotContain((byte)'\n', bytes);
        Assert.DoesNotContain((byte)'\r', bytes);
        Assert.Equal("line one\nline two\r\n\u2028", JsonDocument.Parse(bytes).RootElement.GetProperty("delta").GetString());
    }
}
