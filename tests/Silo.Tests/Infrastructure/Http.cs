using System.Net.Http.Headers;

namespace Conversations.Silo.Tests.Infrastructure;

public static class Http
{
    public static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    public static async Task<JsonElement> ReadJson(this HttpResponseMessage response) =>
        JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;

    public static async Task<string> CreateConversation(this HttpClient client)
    {
        using var response = await client.PostAsync("/v1/conversations", Json("{}"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.ReadJson()).GetProperty("id").GetString()!;
    }

    public static async Task<HttpResponseMessage> Send(this HttpClient client, string conversationId, string content) =>
        await client.PostAsync($"/v1/conversations/{conversationId}/messages", Json(JsonSerializer.Serialize(new { content })));

    public static async Task<string> Turn(this HttpClient client, string conversationId, string content)
    {
        using var response = await client.Send(conversationId, content);
        var json = await response.ReadJson();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"turn answered {(int)response.StatusCode}: {json}");
        return json.GetProperty("choices")[0].GetProperty("message").GetProperty("content").GetString()!;
    }

    public static async Task<HttpResponseMessage> StartStream(this HttpClient client, string conversationId, string content)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, $"/v1/conversations/{conversationId}/messages")
        {
            Content = Json(JsonSerializer.Serialize(new { content, stream = true })),
        };
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/event-stream"));
        return await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
    }

    /// <summary>The conversation's items oldest first, as (role, status, text).</summary>
    public static async Task<List<(string Role, string Status, string Text)>> History(this HttpClient client, string conversationId)
    {
        using var response = await client.GetAsync($"/v1/conversations/{conversationId}/items?order=asc&limit=100");
        var json = await response.ReadJson();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"items answered {(int)response.StatusCode}: {json}");
        return [.. json.GetProperty("data").EnumerateArray().Select(i => (
            i.GetProperty("role").GetString()!,
            i.GetProperty("status").GetString()!,
            i.GetProperty("content")[0].GetProperty("text").GetString()!))];
    }

    /// <summary>Whether a single-shot turn is answered 200 now; false too when the host cannot be reached.</summary>
    public static async Task<bool> TurnSucceeds(this HttpClient client, string conversationId, string content)
    {
        try
        {
            using var response = await client.Send(conversationId, content);
            return response.StatusCode == HttpStatusCode.OK;
        }
        catch (HttpRequestException)
        {
            return false;
        }
    }
}
