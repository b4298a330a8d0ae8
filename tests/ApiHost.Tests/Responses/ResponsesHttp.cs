using System.Net.Http.Headers;
using System.Net.ServerSentEvents;
using Conversations.ApiHost.Tests.Infrastructure;

namespace Conversations.ApiHost.Tests.Responses;

/// <summary>Raw HTTP calls to the Responses API, and the rules every Responses event stream keeps.</summary>
public static class ResponsesHttp
{
    /// <summary>
    /// Every event type OpenAI's Responses stream has, as the Node SDK 7.55.0 stream helper accepts them; it
    /// throws on any other.
    /// </summary>
    public static readonly IReadOnlySet<string> OpenAiEventTypes = new HashSet<string>
    {
        "response.created", "response.queued", "response.in_progress", "response.completed", "response.failed", "response.incomplete",
        "response.output_item.added", "response.output_item.done", "response.content_part.added", "response.content_part.done",
        "response.output_text.delta", "response.output_text.done", "response.output_text.annotation.added",
        "response.refusal.delta", "response.refusal.done",
        "response.function_call_arguments.delta", "response.function_call_arguments.done",
        "response.custom_tool_call_input.delta", "response.custom_tool_call_input.done",
        "response.mcp_call_arguments.delta", "response.mcp_call_arguments.done",
        "response.reasoning_text.delta", "response.reasoning_text.done",
        "response.reasoning_summary_part.added", "response.reasoning_summary_part.done",
        "response.reasoning_summary_text.delta", "response.reasoning_summary_text.done",
        "response.audio.delta", "response.audio.done", "response.audio.transcript.delta", "response.audio.transcript.done",
        "keepalive", "error",
    };

    /// <summary>The codes a failed response's <c>error.code</c> may carry (OpenAI's <c>ResponseErrorCode</c>); the SDKs type it as this enum.</summary>
    public static readonly IReadOnlySet<string> ResponseErrorCodes = new HashSet<string>
    {
        "server_error", "rate_limit_exceeded", "invalid_prompt", "data_residency_mismatch", "bio_policy", "vector_store_timeout", "invalid_image", "invalid_image_format",
        "invalid_base64_image", "invalid_image_url", "image_too_large", "image_too_small", "image_parse_error",
        "image_content_policy_violation", "invalid_image_mode", "image_file_too_large", "unsupported_image_media_type",
        "empty_image_file", "failed_to_download_image", "image_file_not_found",
    };

    private static readonly string[] Terminal = ["response.completed", "response.incomplete", "response.failed"];

    /// <summary>Posts a create-response body and returns once the headers are in; <c>Accept: application/json</c>, as the Node SDK's stream helper sends it.</summary>
    public static async Task<HttpResponseMessage> PostResponse(this HttpClient client, string json, CancellationToken cancellationToken = default)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/v1/responses") { Content = Api.Json(json) };
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        return await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
    }

    /// <summary>Creates a response (not streamed) and returns it; fails the test on anything but 200.</summary>
    public static async Task<JsonElement> CreateResponse(this HttpClient client, string json)
    {
        using var response = await client.PostResponse(json);
        var body = await response.ReadJson();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"create response answered {(int)response.StatusCode}: {body}");
        return body;
    }

    /// <summary>Streams a response to its end and returns its events; fails the test on anything but a 200 event stream.</summary>
    public static async Task<List<StreamedEvent>> StreamResponse(this HttpClient client, string json)
    {
        using var response = await client.PostResponse(json);
        return await response.ReadStreamedEvents();
    }

    /// <summary>
    /// Reads a whole Responses event stream, checking its framing on the way: a 200 <c>text/event-stream</c> whose
    /// every event is exactly an <c>event:</c> line and a <c>data:</c> line, and no <c>[DONE]</c>.
    /// </summary>
    public static async Task<List<StreamedEvent>> ReadStreamedEvents(this HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"the stream answered {(int)response.StatusCode}: {text}");
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        Assert.DoesNotContain("[DONE]", text, StringComparison.Ordinal);
        if (text.Length == 0)
        {
            // A replay after the last event has nothing left to send.
            return [];
        }

        Assert.EndsWith("\n\n", text, StringComparison.Ordinal);
        var events = new List<StreamedEvent>();
        foreach (var block in text[..^2].Split("\n\n"))
        {
            var lines = block.Split('\n');
            Assert.True(
                lines is [var name, var data] && name.StartsWith("event: ", StringComparison.Ordinal) && data.StartsWith("data: ", StringComparison.Ordinal),
                $"every event should be one 'event:' line and one 'data:' line, but got:\n{block}");
            events.Add(new StreamedEvent(lines[0]["event: ".Length..], lines[1]["data: ".Length..]));
        }

        return events;
    }

    /// <summary>Reads a live Responses stream until <paramref name="enough"/> says stop; returns the events read.</summary>
    public static async Task<List<StreamedEvent>> ReadStreamedEventsUntil(this HttpResponseMessage response, Func<List<StreamedEvent>, bool> enough)
    {
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var read = new List<StreamedEvent>();
        await foreach (var item in SseParser.Create(await response.Content.ReadAsStreamAsync()).EnumerateAsync())
        {
            read.Add(new StreamedEvent(item.EventType, item.Data));
            if (enough(read))
            {
                break;
            }
        }

        return read;
    }

    /// <summary>
    /// The rules of every Responses stream: each <c>event:</c> name is its JSON's <c>type</c>, a type from OpenAI's
    /// list; <c>sequence_number</c> counts 0, 1, 2… with no gap; it opens with <c>response.created</c> and ends with
    /// exactly one terminal event.
    /// </summary>
    public static void AssertWellFormed(IReadOnlyList<StreamedEvent> events)
    {
        Assert.NotEmpty(events);
        Assert.All(events, e => Assert.Equal(e.Name, e.Type));
        Assert.All(events, e => Assert.Contains(e.Type, OpenAiEventTypes));
        Assert.Equal(Enumerable.Range(0, events.Count), events.Select(e => e.SequenceNumber));
        Assert.Equal("response.created", events[0].Type);
        Assert.Single(events, e => Terminal.Contains(e.Type));
        Assert.Contains(events[^1].Type, Terminal);
    }

    public static List<string> Types(IEnumerable<StreamedEvent> events) => [.. events.Select(e => e.Type)];

    /// <summary>The <c>response</c> the terminal event carries.</summary>
    public static JsonElement FinalResponse(IReadOnlyList<StreamedEvent> events) => events[^1].Json.GetProperty("response");

    public static string Text(JsonElement message) =>
        string.Concat(message.GetProperty("content").EnumerateArray().Select(part => part.TryGetProperty("text", out var text) ? text.GetString() : part.GetProperty("refusal").GetString()));
}
