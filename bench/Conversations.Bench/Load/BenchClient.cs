using System.Net.Http.Headers;

namespace Conversations.Bench.Load;

/// <summary>The load generator's HTTP client: one pooled handler, a connection per concurrent request, no cookies.</summary>
public static class BenchClient
{
    private static readonly MediaTypeHeaderValue Json = new("application/json");

    [ThreadStatic]
    private static byte[]? drain;

    public static HttpClient Create() => new(new SocketsHttpHandler
    {
        UseCookies = false,
        PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
        PooledConnectionIdleTimeout = TimeSpan.FromMinutes(5),
        MaxConnectionsPerServer = int.MaxValue,
        MaxResponseDrainSize = 0,
        ConnectTimeout = TimeSpan.FromSeconds(30),
    })
    {
        Timeout = TimeSpan.FromMinutes(5),
    };

    public static HttpRequestMessage Post(Uri url, byte[] body, string? key, bool stream = false)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = Json;
        if (key is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        }

        if (stream)
        {
            request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/event-stream"));
        }

        return request;
    }

    /// <summary>Sends a POST and reads the whole answer; true for a 200.</summary>
    public static async Task<bool> PostAsync(HttpClient client, Uri url, byte[] body, string? key)
    {
        using var request = Post(url, body, key);
        using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        await using var content = await response.Content.ReadAsStreamAsync();
        var buffer = drain ??= new byte[64 * 1024];
        while (await content.ReadAsync(buffer) > 0)
        {
        }

        return response.IsSuccessStatusCode;
    }
}
