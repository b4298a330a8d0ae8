using System.Net.Http.Headers;

namespace Conversations.Upstream;

/// <summary>How every request to the upstream is addressed and authenticated.</summary>
internal static class UpstreamHttp
{
    private const string UserAgent = "Conversations/1.0";

    /// <summary><c>{base}/{path}</c>, keeping any query the base URL carries (Azure's <c>api-version</c>).</summary>
    public static Uri Endpoint(UpstreamOptions options, string path)
    {
        var baseUri = new Uri(options.BaseUrl);
        return new UriBuilder(baseUri) { Path = baseUri.AbsolutePath.TrimEnd('/') + "/" + path }.Uri;
    }

    /// <summary>
    /// Names the service (<c>User-Agent</c>) and adds the provider key, in the header the upstream expects (none
    /// when no key is configured). Set on each request rather than as the client's default headers: HttpClient
    /// copies default headers into every request under a lock they share, which hot calls contend for.
    /// </summary>
    public static void Sign(UpstreamOptions options, HttpRequestMessage message)
    {
        message.Headers.TryAddWithoutValidation("User-Agent", UserAgent);
        if (string.IsNullOrEmpty(options.ApiKey))
        {
            return;
        }

        if (options.ApiKeyHeader.Equals("Authorization", StringComparison.OrdinalIgnoreCase))
        {
            message.Headers.Authorization = new AuthenticationHeaderValue("Bearer", options.ApiKey);
        }
        else
        {
            message.Headers.TryAddWithoutValidation(options.ApiKeyHeader, options.ApiKey);
        }
    }
}
