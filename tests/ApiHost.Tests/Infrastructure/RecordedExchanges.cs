using System.Collections.Concurrent;

namespace Conversations.ApiHost.Tests.Infrastructure;

/// <summary>
/// An HTTP client handler that keeps every response a test saw — status, every header, the whole body —
/// to search afterwards. It reads each body to its end before handing the response on, so use it only
/// for responses that end (no stalled streams).
/// </summary>
public sealed class RecordedExchanges : DelegatingHandler
{
    private readonly ConcurrentQueue<RecordedExchange> _exchanges = new();

    public RecordedExchanges()
        : base(new SocketsHttpHandler { MaxResponseDrainSize = 0 })
    {
    }

    public IReadOnlyList<RecordedExchange> Exchanges => [.. _exchanges];

    public HttpClient Client(Uri address, string? key)
    {
        var client = new HttpClient(this, disposeHandler: false) { BaseAddress = address, Timeout = TimeSpan.FromSeconds(60) };
        if (key is not null)
        {
            client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", key);
        }

        return client;
    }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var response = await base.SendAsync(request, cancellationToken);
        await response.Content.LoadIntoBufferAsync(cancellationToken);
        var headers = response.Headers.Concat(response.Content.Headers)
            .SelectMany(h => h.Value.Select(v => $"{h.Key}: {v}"))
            .ToList();
        _exchanges.Enqueue(new RecordedExchange(
            $"{request.Method} {request.RequestUri?.PathAndQuery}",
            (int)response.StatusCode,
            headers,
            await response.Content.ReadAsStringAsync(cancellationToken)));
        return response;
    }
}

/// <summary>One response as the client received it.</summary>
public sealed record RecordedExchange(string Request, int Status, IReadOnlyList<string> Headers, string Body)
{
    public bool Contains(string text) =>
        Body.Contains(text, StringComparison.Ordinal) || Headers.Any(h => h.Contains(text, StringComparison.Ordinal));
}
