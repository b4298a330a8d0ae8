using System.Net.Http.Headers;

namespace Conversations.Upstream;

/// <summary>How every request to the upstream is addressed and authenticated.</summary>
internal static class UpstreamHttp
{
    /// <summary><c>{base}/{path}</c>, keeping any query the base URL carries (Azure's <c>api-version</c>).</summary>
    public static Uri Endpoint(UpstreamOptions options, string path)
    {
        var baseUri = new Uri(options.BaseUrl);
        return new UriBuilder(baseUri) { Path = baseUri.AbsolutePath.TrimEnd('/') + "/" + path }.Uri;
    }

    /// <summary>The provider key, in the header the upstream expects; nothing when no key is configured.</summary>
    public static void AddKey(UpstreamOptions options, HttpRequestMessage message)
    {
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
