using System.Net.Http.Headers;
using Conversations.ApiHost.Tests.Infrastructure;

namespace Conversations.ApiHost.Tests.Compatibility;

/// <summary>Raw HTTP calls to <c>/v1/chat/completions</c>, and what a wire-level test reads back.</summary>
public static class Wire
{
    /// <summary>Posts <paramref name="json"/> as an SDK would and returns once the response headers are in.</summary>
    public static async Task<HttpResponseMessage> PostChat(this HttpClient client, string json, CancellationToken cancellationToken = default)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/v1/chat/completions") { Content = Api.Json(json) };
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        return await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
    }

    public static string Header(this HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) || response.Content.Headers.TryGetValues(name, out values)
            ? string.Join(", ", values)
            : "";

    public static bool HasHeader(this HttpResponseMessage response, string name) =>
        response.Headers.Contains(name) || response.Content.Headers.Contains(name);

    /// <summary>The <c>data:</c> payloads of an OpenAI-framed stream; fails unless every event is exactly <c>data: …\n\n</c>.</summary>
    public static List<string> DataEvents(string stream)
    {
        Assert.EndsWith("\n\n", stream, StringComparison.Ordinal);
        var events = stream[..^2].Split("\n\n");
        Assert.All(events, e =>
        {
            Assert.StartsWith("data: ", e, StringComparison.Ordinal);
            Assert.DoesNotContain('\n', e);
        });
        return [.. events.Select(e => e["data: ".Length..])];
    }

    /// <summary>Reads one user's request count from <c>GET /v1/usage</c>.</summary>
    public static async Task<long> RequestsSoFar(this HttpClient client)
    {
        using var response = await client.GetAsync("/v1/usage");
        var json = await response.ReadJson();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"usage answered {(int)response.StatusCode}: {json}");
        return json.GetProperty("total").GetProperty("requests").GetInt64();
    }

    /// <summary>A new user with a key of their own, so counts a test reads are not shared with other tests.</summary>
    public static async Task<string> NewUserKey(RunningApiHost host, string name)
    {
        using var admin = host.Client(TestKeys.Admin);
        using var created = await admin.PostAsync("/v1/admin/users", Api.Json(JsonSerializer.Serialize(new { name })));
        var user = await created.ReadJson();
        Assert.True(created.StatusCode == HttpStatusCode.Created, $"create user answered {(int)created.StatusCode}: {user}");
        using var issued = await admin.PostAsync($"/v1/admin/users/{user.GetProperty("id").GetString()}/keys", Api.Json("{}"));
        var key = await issued.ReadJson();
        Assert.True(issued.StatusCode == HttpStatusCode.Created, $"issue key answered {(int)issued.StatusCode}: {key}");
        return key.GetProperty("key").GetString()!;
    }
}
