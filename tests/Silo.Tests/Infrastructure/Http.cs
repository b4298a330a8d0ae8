using System.Net.Http.Headers;

namespace Conversations.Silo.Tests.Infrastructure;

public static class Http
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(100);

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

    /// <summary>Retries <paramref name="attempt"/> until it succeeds or the deadline passes; returns how long it took.</summary>
    public static async Task<TimeSpan> UntilItWorks(Func<Task<bool>> attempt, TimeSpan deadline)
    {
        var started = DateTime.UtcNow;
        while (DateTime.UtcNow - started < deadline)
        {
            try
            {
                if (await attempt())
                {
                    return DateTime.UtcNow - started;
                }
            }
            catch (HttpRequestException)
            {
            }

            await Task.Delay(PollInterval);
        }

        return DateTime.UtcNow - started;
    }
}
