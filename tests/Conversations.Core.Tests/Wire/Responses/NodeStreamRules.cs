using System.Text.Json;
using Conversations.Core.Wire;
using Conversations.Core.Wire.Responses;

namespace Conversations.Core.Tests.Wire.Responses;

/// <summary>
/// The rules the Node SDK's stream helper (openai 7.55.0, <c>ResponseStream</c> and its accumulator)
/// enforces, as listed in /work/notes/node-sdk.md §1, plus what OpenAI itself does (sequence numbers
/// 0..n, one terminal event, an error event only before <c>response.failed</c>) and the .NET SDK's rules
/// for every snapshot. Checks the JSON a client reads, not the records. Each rule broken is one line of
/// the result.
/// <para>With <c>consistent</c> (the default) it also checks what a sound turn gives and clients such as
/// the Node check script compare: the deltas add up to the done text, and the terminal output is exactly
/// the streamed items. A turn whose final items differ from what it streamed cannot meet these, and the
/// SDKs do not require them (the terminal output wins).</para>
/// </summary>
internal static class NodeStreamRules
{
    /// <summary>Node's <c>supportedResponseEventTypes</c>: any other type throws "Unhandled response stream event".</summary>
    public static readonly HashSet<string> KnownTypes =
    [
        "response.created", "response.queued", "response.in_progress", "response.completed", "response.failed", "response.incomplete",
        "response.output_item.added", "response.output_item.done", "response.content_part.added", "response.content_part.done",
        "response.output_text.delta", "response.output_text.done", "response.output_text.annotation.added",
        "response.refusal.delta", "response.refusal.done",
        "response.function_call_arguments.delta", "response.function_call_arguments.done",
        "response.custom_tool_call_input.delta", "response.custom_tool_call_input.done",
        "response.mcp_call_arguments.delta", "response.mcp_call_arguments.done",
        "response.shell_call_command.added", "response.shell_call_command.delta", "response.shell_call_command.done",
        "response.shell_call_output_content.delta", "response.shell_call_output_content.done",
        "response.reasoning_text.delta", "response.reasoning_text.done",
        "response.reasoning_summary_part.added", "response.reasoning_summary_part.done",
        "response.reasoning_summary_text.delta", "response.reasoning_summary_text.done",
        "response.code_interpreter_call_code.delta", "response.code_interpreter_call_code.done",
        "response.code_interpreter_call.in_progress", "response.code_interpreter_call.interpreting", "response.code_interpreter_call.completed",
        "response.file_search_call.in_progress", "response.file_search_call.searching", "response.file_search_call.completed",
        "response.web_search_call.in_progress", "response.web_search_call.searching", "response.web_search_call.completed",
        "response.image_generation_call.in_progress", "response.image_generation_call.generating",
        "response.image_generation_call.completed", "response.image_generation_call.partial_image",
        "response.mcp_call.in_progress", "response.mcp_call.completed", "response.mcp_call.failed",
        "response.mcp_list_tools.in_progress", "response.mcp_list_tools.completed", "response.mcp_list_tools.failed",
        "response.audio.delta", "response.audio.done", "response.audio.transcript.delta", "response.audio.transcript.done",
        "response.compaction.compacting", "keepalive", "error",
    ];

    private static readonly HashSet<string> Lifecycle =
        ["response.created", "response.queued", "response.in_progress", "response.completed", "response.failed", "response.incomplete"];

    private static readonly HashSet<string> Terminal = ["response.completed", "response.failed", "response.incomplete"];

    /// <summary>Every rule the events break, in the order found; empty when the stream is sound.</summary>
    public static List<string> Check(IReadOnlyList<ResponseStreamEvent> events, bool consistent = true)
    {
        var broken = new List<string>();
        var output = new List<Item>();
        string? responseId = null;
        var terminals = 0;
        for (var index = 0; index < events.Count; index++)
        {
            var sse = events[index].EventType;
            var text = System.Text.Encoding.UTF8.GetString(WireJson.Serialize(events[index]));
            using var document = JsonDocument.Parse(text);
            var json = document.RootElement;
            var at = $"event {index} ({sse})";
            var keys = json.EnumerateObject().Select(p => p.Name).ToList();
            if (keys.Count == 0 || keys[0] != "type" || keys.Count(k => k == "type") != 1)
            {
                broken.Add($"{at}: 'type' must be written first and once");
            }

            var type = json.GetProperty("type").GetString()!;
            if (type != sse)
            {
                broken.Add($"{at}: JSON type '{type}' differs from the SSE event name");
            }

            if (!KnownTypes.Contains(type))
            {
                broken.Add($"{at}: unknown event type");
            }

            if (json.GetProperty("sequence_number").GetInt32() != index)
            {
                broken.Add($"{at}: sequence_number {json.GetProperty("sequence_number").GetInt32()}, expected {index}");
            }

            if (type != "error" && json.TryGetProperty("error", out var topError) && topError.ValueKind is not (JsonValueKind.Null or JsonValueKind.False))
            {
                broken.Add($"{at}: a top-level 'error' key makes the Node SDK throw");
            }

            if (text.Contains('\n') || text.Contains('\r'))
            {
                broken.Add($"{at}: JSON must fit one SSE data line");
            }

            if (index == 0 && type != "response.created")
            {
                broken.Add($"{at}: the first event must be response.created");
            }

            if (terminals > 0)
            {
                broken.Add($"{at}: an event after the terminal event");
            }

            if (Lifecycle.Contains(type))
            {
                if (!json.TryGetProperty("response", out var response) || response.ValueKind != JsonValueKind.Object)
                {
                    broken.Add($"{at}: a lifecycle event needs its response object");
                    continue;
                }

                var id = response.GetProperty("id").GetString();
                responseId ??= id;
                if (id != responseId)
                {
                    broken.Add($"{at}: lifecycle response identity changed ('{id}', first '{responseId}')");
                }

                broken.AddRange(DotNetSdkRules.Response(response).Select(rule => $"{at}: {rule}"));
                if (Terminal.Contains(type))
                {
                    terminals++;
                    CheckTerminal(response, type, output, at, broken, consistent);
                }

                continue;
            }

            switch (type)
            {
                case "error":
                    if (index + 1 >= events.Count || events[index + 1].EventType != "response.failed")
                    {
                        broken.Add($"{at}: an error event must be followed by response.failed");
                    }

                    foreach (var key in new[] { "code", "message" })
                    {
                        if (json.GetProperty(key).ValueKind != JsonValueKind.String)
                        {
                            broken.Add($"{at}: the flat error event needs a string '{key}'");
                        }
                    }

                    if (!json.TryGetProperty("param", out _))
                    {
                        broken.Add($"{at}: the flat error event needs 'param'");
                    }

                    break;
                case "response.output_item.added":
                    ItemAdded(json, output, at, broken);
                    break;
                case "response.output_item.done":
                    ItemDone(json, output, at, broken, consistent);
                    break;
                default:
                    ItemScoped(json, type, output, at, broken, consistent);
                    break;
            }
        }

        if (events.Count == 0)
        {
            broken.Add("no events");
        }

        if (terminals != 1)
        {
            broken.Add($"{terminals} terminal events, expected exactly one");
        }

        return broken;
    }

    private static void ItemAdded(JsonElement json, List<Item> output, string at, List<string> broken)
    {
        var outputIndex = json.GetProperty("output_index").GetInt32();
        if (outputIndex != output.Count)
        {
            broken.Add($"{at}: output_index {outputIndex}, expected {output.Count} (append only)");
        }

        var item = json.GetProperty("item");
        broken.AddRange(DotNetSdkRules.Item(item).Select(rule => $"{at}: {rule}"));
        var id = item.TryGetProperty("id", out var idValue) ? idValue.GetString() : null;
        if (string.IsNullOrEmpty(id))
        {
            broken.Add($"{at}: the item needs a non-empty id");
        }

        if (output.Any(o => o.Id == id))
        {
            broken.Add($"{at}: duplicate output item id '{id}'");
        }

        var type = item.GetProperty("type").GetString()!;
        if (type == "function_call" && string.IsNullOrEmpty(item.GetProperty("call_id").GetString()))
        {
            broken.Add($"{at}: a function call needs a call_id");
        }

        if (type == "message" && item.GetProperty("content").GetArrayLength() != 0)
        {
            broken.Add($"{at}: a message is added with no content (parts come with content_part.added)");
        }

        output.Add(new Item(id ?? "", type, type == "function_call" ? item.GetProperty("call_id").GetString() : null));
    }

    private static void ItemDone(JsonElement json, List<Item> output, string at, List<string> broken, bool consistent)
    {
        var outputIndex = json.GetProperty("output_index").GetInt32();
        if (outputIndex < 0 || outputIndex >= output.Count)
        {
            broken.Add($"{at}: missing output at index {outputIndex}");
            return;
        }

        var added = output[outputIndex];
        var item = json.GetProperty("item");
        broken.AddRange(DotNetSdkRules.Item(item).Select(rule => $"{at}: {rule}"));
        var type = item.GetProperty("type").GetString();
        if (item.GetProperty("id").GetString() != added.Id || type != added.Type
            || (type == "function_call" && item.GetProperty("call_id").GetString() != added.CallId))
        {
            broken.Add($"{at}: output_item.done must keep the id, type and call_id it was added with");
        }

        if (added.Done)
        {
            broken.Add($"{at}: item '{added.Id}' done twice");
        }

        added.Done = true;
        if (type == "message")
        {
            var content = item.GetProperty("content");
            if (content.GetArrayLength() != added.Parts.Count)
            {
                broken.Add($"{at}: the done message has {content.GetArrayLength()} parts, {added.Parts.Count} were streamed");
            }

            for (var i = 0; i < Math.Min(content.GetArrayLength(), added.Parts.Count); i++)
            {
                var part = added.Parts[i];
                if (!part.Done)
                {
                    broken.Add($"{at}: content part {i} was not done before its item");
                }

                if (consistent && TextOf(content[i]) is { } final && final != part.Streamed.ToString())
                {
                    broken.Add($"{at}: part {i} text '{final}' differs from its deltas '{part.Streamed}'");
                }
            }
        }
        else if (type == "function_call")
        {
            if (!added.ArgumentsDone)
            {
                broken.Add($"{at}: function_call_arguments.done must come before the item is done");
            }

            if (consistent && item.GetProperty("arguments").GetString() != added.Arguments.ToString())
            {
                broken.Add($"{at}: the done arguments differ from their deltas");
            }
        }
    }

    private static void ItemScoped(JsonElement json, string type, List<Item> output, string at, List<string> broken, bool consistent)
    {
        var outputIndex = json.GetProperty("output_index").GetInt32();
        if (outputIndex < 0 || outputIndex >= output.Count)
        {
            broken.Add($"{at}: missing output at index {outputIndex}");
            return;
        }

        var item = output[outputIndex];
        var itemId = json.TryGetProperty("item_id", out var idValue) ? idValue.GetString() : null;
        if (string.IsNullOrEmpty(itemId) || itemId != item.Id)
        {
            broken.Add($"{at}: expected item_id '{item.Id}', got '{itemId}'");
        }

        if (item.Done)
        {
            broken.Add($"{at}: an event for an item already done");
        }

        var expectedType = type.StartsWith("response.function_call_arguments.", StringComparison.Ordinal) ? "function_call" : "message";
        if (item.Type != expectedType)
        {
            broken.Add($"{at}: expected output item type '{expectedType}', got '{item.Type}'");
            return;
        }

        switch (type)
        {
            case "response.function_call_arguments.delta":
                item.Arguments.Append(json.GetProperty("delta").GetString());
                return;
            case "response.function_call_arguments.done":
                item.ArgumentsDone = true;
                if (consistent && json.GetProperty("arguments").GetString() != item.Arguments.ToString())
                {
                    broken.Add($"{at}: the done arguments differ from their deltas");
                }

                if (json.GetProperty("name").ValueKind != JsonValueKind.String)
                {
                    broken.Add($"{at}: function_call_arguments.done needs the function's name");
                }

                return;
        }

        var contentIndex = json.GetProperty("content_index").GetInt32();
        if (type == "response.content_part.added")
        {
            if (contentIndex != item.Parts.Count)
            {
                broken.Add($"{at}: content_index {contentIndex}, expected {item.Parts.Count} (missing content at index)");
            }

            var part = json.GetProperty("part");
            broken.AddRange(DotNetSdkRules.Part(part).Select(rule => $"{at}: {rule}"));
            if (TextOf(part) is { Length: > 0 })
            {
                broken.Add($"{at}: a part is added empty; its text comes in deltas");
            }

            item.Parts.Add(new Part(part.GetProperty("type").GetString()!));
            return;
        }

        if (contentIndex < 0 || contentIndex >= item.Parts.Count)
        {
            broken.Add($"{at}: missing content at index {contentIndex}");
            return;
        }

        var opened = item.Parts[contentIndex];
        var partType = type.StartsWith("response.refusal.", StringComparison.Ordinal) ? "refusal"
            : type.StartsWith("response.output_text.", StringComparison.Ordinal) ? "output_text"
            : null;
        if (partType is not null && opened.Type != partType)
        {
            broken.Add($"{at}: expected content to be '{partType}', got '{opened.Type}'");
        }

        if (opened.Done)
        {
            broken.Add($"{at}: an event for a content part already done");
        }

        switch (type)
        {
            case "response.output_text.delta":
            case "response.refusal.delta":
                opened.Streamed.Append(json.GetProperty("delta").GetString());
                if (type == "response.output_text.delta" && json.GetProperty("logprobs").ValueKind != JsonValueKind.Array)
                {
                    broken.Add($"{at}: logprobs must be an array");
                }

                break;
            case "response.output_text.done":
            case "response.refusal.done":
                var done = json.GetProperty(type == "response.output_text.done" ? "text" : "refusal").GetString();
                if (consistent && done != opened.Streamed.ToString())
                {
                    broken.Add($"{at}: done text '{done}' differs from its deltas '{opened.Streamed}'");
                }

                opened.TextDone = true;
                break;
            case "response.content_part.done":
                if (opened.Type is "output_text" or "refusal" && !opened.TextDone)
                {
                    broken.Add($"{at}: the part's text must be done before the part");
                }

                if (consistent && TextOf(json.GetProperty("part")) is { } text && text != opened.Streamed.ToString())
                {
                    broken.Add($"{at}: the done part's text differs from its deltas");
                }

                opened.Done = true;
                break;
        }
    }

    private static void CheckTerminal(JsonElement response, string type, List<Item> output, string at, List<string> broken, bool consistent)
    {
        var status = response.GetProperty("status").GetString();
        var expected = type switch
        {
            "response.completed" => new[] { "completed" },
            "response.incomplete" => ["incomplete", "cancelled"],
            _ => ["failed"],
        };
        if (!expected.Contains(status))
        {
            broken.Add($"{at}: status '{status}' in a {type} event");
        }

        if (output.Any(o => !o.Done))
        {
            broken.Add($"{at}: Cannot complete response with unfinished output items");
        }

        // The SDKs take the terminal output as the result, keeping streamed items' identities: it may leave
        // out or reorder done items, but must not hold an item the stream never announced.
        var terminalItems = response.GetProperty("output").EnumerateArray().Select(i => (Id: i.GetProperty("id").GetString(), Type: i.GetProperty("type").GetString())).ToList();
        var streamed = output.Select(o => (Id: (string?)o.Id, Type: (string?)o.Type)).ToList();
        var fits = consistent ? terminalItems.SequenceEqual(streamed) : terminalItems.All(streamed.Contains);
        if (!fits)
        {
            broken.Add($"{at}: the terminal output [{string.Join(", ", terminalItems)}] does not match the streamed items [{string.Join(", ", streamed)}]");
        }

        if (type == "response.completed" && response.GetProperty("usage").ValueKind != JsonValueKind.Object)
        {
            broken.Add($"{at}: response.completed carries the usage");
        }

        if (type == "response.failed" && response.GetProperty("error").ValueKind != JsonValueKind.Object)
        {
            broken.Add($"{at}: response.failed carries the error");
        }
    }

    private static string? TextOf(JsonElement part) => part.GetProperty("type").GetString() switch
    {
        "output_text" => part.GetProperty("text").GetString(),
        "refusal" => part.GetProperty("refusal").GetString(),
        _ => null,
    };

    private sealed class Item(string id, string type, string? callId)
    {
        public string Id { get; } = id;
        public string Type { get; } = type;
        public string? CallId { get; } = callId;
        public List<Part> Parts { get; } = [];
        public System.Text.StringBuilder Arguments { get; } = new();
        public bool ArgumentsDone { get; set; }
        public bool Done { get; set; }
    }

    private sealed class Part(string type)
    {
        public string Type { get; } = type;
        public System.Text.StringBuilder Streamed { get; } = new();
        public bool TextDone { get; set; }
        public bool Done { get; set; }
    }
}
