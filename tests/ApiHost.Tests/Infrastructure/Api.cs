using System.Net.Http.Headers;

namespace Conversations.ApiHost.Tests.Infrastructure;

/// <summary>The calls tests make again and again, written once.</summary>
public static class Api
{
    public static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    public static async Task<JsonElement> ReadJson(this HttpResponseMessage response) =>
        JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;

    /// <summary>Creates a conversation and returns its id; fails the test on anything but 200 (what the SDKs take as success).</summary>
    public static async Task<string> CreateConversation(this HttpClient client, string body = "{}")
    {
        using var response = await client.PostAsync("/v1/conversations", Json(body));
        var json = await response.ReadJson();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"create answered {(int)response.StatusCode}: {json}");
        return json.GetProperty("id").GetString()!;
    }

    public static Task<HttpResponseMessage> SendMessage(this HttpClient client, string conversationId, string content, bool stream = false) =>
        client.PostAsync($"/v1/conversations/{conversationId}/messages", Json(JsonSerializer.Serialize(new { content, stream })));

    /// <summary>Sends one single-shot turn and returns the <c>chat.completion</c>; fails the test on anything but 200.</summary>
    public static async Task<JsonElement> Turn(this HttpClient client, string conversationId, string content)
    {
        using var response = await client.SendMessage(conversationId, content);
        var json = await response.ReadJson();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"turn answered {(int)response.StatusCode}: {json}");
        return json;
    }

    /// <summary>Starts a streamed turn and returns as soon as the response headers arrive.</summary>
    public static async Task<HttpResponseMessage> StartStream(this HttpClient client, string conversationId, string content, CancellationToken cancellationToken = default)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, $"/v1/conversations/{conversationId}/messages")
        {
            Content = Json(JsonSerializer.Serialize(new { content, stream = true })),
        };
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/event-stream"));
        return await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
    }

    /// <summary>The <c>data:</c> payloads of a whole event stream, in order.</summary>
    public static async Task<List<string>> ReadEvents(this HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        return [.. text.Split("\n\n", StringSplitOptions.RemoveEmptyEntries).Select(e => e.StartsWith("data: ", StringComparison.Ordinal) ? e["data: ".Length..] : e)];
    }

    public static async Task<JsonElement> Items(this HttpClient client, string conversationId, string query = "order=asc&limit=100")
    {
        using var response = await client.GetAsync($"/v1/conversations/{conversationId}/items?{query}");
        var json = await response.ReadJson();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"items answered {(int)response.StatusCode}: {json}");
        return json;
    }

    /// <summary>Asserts an error response: its status and OpenAI's envelope with the given code.</summary>
    public static async Task<JsonElement> AssertError(this HttpResponseMessage response, HttpStatusCode status, string code)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == status, $"expected {(int)status} {code}, got {(int)response.StatusCode}: {body}");
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        var error = JsonDocument.Parse(body).RootElement.GetProperty("error");
        Assert.Equal(code, error.GetProperty("code").GetString());
        Assert.True(error.TryGetProperty("message", out var message) && message.GetString()!.Length > 0);
        Assert.True(error.TryGetProperty("type", out _));
        Assert.True(error.TryGetProperty("param", out _));
        Assert.DoesNotContain("   at ", body, StringComparison.Ordinal);
        return error;
    }

    /// <summary>Reads a live event stream until <paramref name="enough"/> says stop; returns the payloads read.</summary>
    public static async Task<List<string>> ReadEventsUntil(Stream body, Func<List<string>, bool> enough, CancellationToken cancellationToken = default)
    {
        var read = new List<string>();
        await foreach (var item in System.Net.ServerSentEvents.SseParser.Create(body).EnumerateAsync(cancellationToken))
        {
            read.Add(item.Data);
            if (enough(read))
            {
                break;
            }
        }

        return read;
    }
}
