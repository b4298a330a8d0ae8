using Conversations.ApiHost.Http;

namespace Conversations.ApiHost.ChatCompletions;

/// <summary>
/// The upstream headers a client of the OpenAI API relies on, passed through: the request id (made up
/// when the upstream sends none), processing time, retry advice and rate limits. Nothing else crosses
/// over — in particular nothing that names the provider account.
/// </summary>
public static class UpstreamHeaders
{
    public static void CopyTo(HttpResponseMessage upstream, HttpResponse response)
    {
        foreach (var (name, values) in upstream.Headers)
        {
            if (Relayed(name))
            {
                response.Headers[name] = values.ToArray();
            }
        }

        if (!response.Headers.ContainsKey("x-request-id"))
        {
            response.Headers["x-request-id"] = RequestIds.New();
        }
    }

    private static bool Relayed(string name) =>
        name.Equals("x-request-id", StringComparison.OrdinalIgnoreCase)
        || name.Equals("openai-processing-ms", StringComparison.OrdinalIgnoreCase)
        || name.Equals("retry-after", StringComparison.OrdinalIgnoreCase)
        || name.Equals("retry-after-ms", StringComparison.OrdinalIgnoreCase)
        || name.StartsWith("x-ratelimit-", StringComparison.OrdinalIgnoreCase);
}
