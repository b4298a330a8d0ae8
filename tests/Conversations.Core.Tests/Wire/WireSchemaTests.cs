using System.Text.Json.Nodes;
using System.Text.Json.Schema;
using Conversations.Core.Wire;
using Conversations.Core.Wire.Responses;

namespace Conversations.Core.Tests.Wire;

/// <summary>
/// The JSON Schema System.Text.Json derives from the wire objects (which the OpenAPI document builds on):
/// every union is described kind by kind, and optional keys are not required.
/// </summary>
public class WireSchemaTests
{
    private static JsonNode Schema(Type type) => JsonSchemaExporter.GetJsonSchemaAsNode(WireJson.Api.Options, type);

    private static string[] Kinds(JsonNode union) =>
        [.. union["anyOf"]!.AsArray().Select(kind => kind!["properties"]!["type"]!["const"]!.GetValue<string>())];

    [Fact]
    public void Items_are_described_as_a_union_keyed_by_type()
    {
        var items = Schema(typeof(ItemObject));

        Assert.Equal(["message", "function_call", "function_call_output", "compaction"], Kinds(items));
        Assert.Equal(["input_text", "output_text", "input_image", "input_file", "refusal"], Kinds(items["anyOf"]![0]!["properties"]!["content"]!["items"]!));
    }

    [Fact]
    public void Created_at_is_an_optional_key_of_an_item()
    {
        var message = Schema(typeof(ItemObject))["anyOf"]![0]!;

        Assert.DoesNotContain("created_at", message["required"]!.AsArray().Select(k => k!.GetValue<string>()));
        Assert.NotNull(message["properties"]!["created_at"]);
    }

    [Fact]
    public void Every_stream_event_type_is_described()
    {
        var events = Schema(typeof(ResponseStreamEvent));

        Assert.Equal(16, Kinds(events).Length);
        Assert.All(Kinds(events), kind => Assert.Contains(kind, Responses.NodeStreamRules.KnownTypes));
    }

    [Fact]
    public void A_response_requires_every_key_it_always_writes()
    {
        var required = Schema(typeof(ResponseObject))["required"]!.AsArray().Select(k => k!.GetValue<string>());

        Assert.Equal(33, required.Count());
        Assert.Contains("output", required);
        Assert.Contains("parallel_tool_calls", required);
    }
}
