using System.Text;
using System.Text.Json;

namespace Conversations.Core.Upstream;

/// <summary>Names an upstream's non-success HTTP answer.</summary>
public static class UpstreamErrors
{
    private const int MaxQuotedLength = 300;

    /// <summary>
    /// Reads OpenAI's envelope <c>{"error":{"message","type","param","code"}}</c> when the body has one
    /// (and the looser shapes compatible servers use); otherwise says what the status was and, for a
    /// short text or an HTML page's title, what the body said.
    /// </summary>
    public static UpstreamError FromHttp(int status, ReadOnlySpan<byte> body, TimeSpan? retryAfter)
    {
        var envelope = ReadEnvelope(body);
        var said = envelope?.Message is { Length: > 0 } message ? message : null;
        var fallback = DescribeBody(status, body);
        switch (status)
        {
            case 401 or 403:
                // The upstream's own words can quote part of the provider key ("Incorrect API key provided:
                // sk-ab***yz"); they are not passed on.
                var reason = envelope?.Code ?? envelope?.Type;
                return new UpstreamError.Unauthorized(
                    $"The upstream refused the service's provider key (HTTP {status}{(reason is null ? "" : ", " + reason)}). Check OPENAI_API_KEY.");
            case 429:
                return new UpstreamError.RateLimited(said ?? $"The upstream is rate limiting requests (HTTP 429). {fallback}".TrimEnd(), retryAfter);
            case 404:
                // A 404 without a message of its own is as often a base URL missing its /v1 as an unknown model.
                return new UpstreamError.ModelNotFound(said ?? $"The upstream answered HTTP 404: it does not know the requested model, or OPENAI_BASE_URL is not its API root (which usually ends in /v1). {fallback}".TrimEnd());
            case 400 or 422 when envelope?.Code == "model_not_found":
                return new UpstreamError.ModelNotFound(said ?? "The upstream does not know the requested model.");
            case 400 or 422:
                return new UpstreamError.BadRequest(
                    said ?? $"The upstream refused the request (HTTP {status}). {fallback}".TrimEnd(), envelope?.Param, envelope?.Code);
            case 408 or 504:
                return new UpstreamError.Timeout(said ?? $"The upstream timed out (HTTP {status}). {fallback}".TrimEnd());
            default:
                return new UpstreamError.ServerError(said ?? $"The upstream failed with HTTP {status}. {fallback}".TrimEnd(), status);
        }
    }

    /// <summary>The parts of an error body that say what went wrong.</summary>
    public sealed record Envelope(string? Message, string? Type, string? Param, string? Code);

    /// <summary>
    /// The error a JSON body describes: OpenAI's <c>{"error":{…}}</c>, <c>{"error":"…"}</c>, a top-level
    /// <c>message</c> (vLLM's older shape) or <c>detail</c> (FastAPI's). Null if it is not JSON or says nothing.
    /// </summary>
    public static Envelope? ReadEnvelope(ReadOnlySpan<byte> body)
    {
        try
        {
            var reader = new Utf8JsonReader(body, LenientJson.ReaderOptions);
            if (!JsonDocument.TryParseValue(ref reader, out var document))
            {
                return null;
            }

            using (document)
            {
                var root = document.RootElement;
                if (root.ValueKind != JsonValueKind.Object)
                {
                    return null;
                }

                if (root.TryGetProperty("error", out var error))
                {
                    if (error.ValueKind == JsonValueKind.Object)
                    {
                        return FromObject(error);
                    }

                    if (error.ValueKind == JsonValueKind.String)
                    {
                        return new Envelope(error.GetString(), null, null, null);
                    }
                }

                if (root.TryGetProperty("message", out _))
                {
                    return FromObject(root);
                }

                if (root.TryGetProperty("detail", out var detail))
                {
                    return new Envelope(Text(detail), null, null, null);
                }

                return null;
            }
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static Envelope FromObject(JsonElement error) => new(
        Member(error, "message"), Member(error, "type"), Member(error, "param"), Member(error, "code"));

    private static string? Member(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) ? Text(value) : null;

    private static string? Text(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => value.GetString() is { Length: > 0 } text ? text : null,
        JsonValueKind.Number => value.GetRawText(),
        JsonValueKind.Object or JsonValueKind.Array => value.GetRawText(),
        _ => null,
    };

    /// <summary>What a body that is not an error envelope said: nothing, an HTML page's title, or a short text.</summary>
    private static string DescribeBody(int status, ReadOnlySpan<byte> body)
    {
        var text = Encoding.UTF8.GetString(body.Length > 8192 ? body[..8192] : body).Trim();
        if (text.Length == 0)
        {
            return "Its answer had no body.";
        }

        if (text.StartsWith('<'))
        {
            var title = HtmlTitle(text);
            return title is null ? "Its answer was an HTML page." : $"Its answer was an HTML page titled \"{title}\".";
        }

        if (text.StartsWith('{') || text.StartsWith('['))
        {
            return "Its answer was JSON without an error message.";
        }

        var firstLine = text.Split('\n', 2)[0].Trim();
        return $"It said: \"{Shorten(firstLine)}\".";
    }

    private static string? HtmlTitle(string html)
    {
        var start = html.IndexOf("<title", StringComparison.OrdinalIgnoreCase);
        if (start < 0)
        {
            return null;
        }

        var open = html.IndexOf('>', start);
        var close = open < 0 ? -1 : html.IndexOf("</title", open, StringComparison.OrdinalIgnoreCase);
        if (close < 0)
        {
            return null;
        }

        var title = string.Join(' ', html[(open + 1)..close].Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
        return title.Length == 0 ? null : Shorten(title);
    }

    private static string Shorten(string text) => text.Length <= MaxQuotedLength ? text : text[..MaxQuotedLength] + "…";
}
