using System.Globalization;
using System.Text;
using Conversations.Core.Users;

namespace Conversations.ApiHost.Limits;

/// <summary>OpenAI's rate limit headers, with durations written the way OpenAI writes them (<c>1s</c>, <c>6m0s</c>, <c>20ms</c>).</summary>
public static class RateLimitHeaders
{
    public static void Write(HttpResponse response, Admission admission)
    {
        Write(response, admission.Requests, "x-ratelimit-limit-requests", "x-ratelimit-remaining-requests", "x-ratelimit-reset-requests");
        Write(response, admission.Tokens, "x-ratelimit-limit-tokens", "x-ratelimit-remaining-tokens", "x-ratelimit-reset-tokens");
    }

    // The names are whole constants: every admitted request writes them.
    private static void Write(HttpResponse response, RateWindow window, string limitName, string remainingName, string resetName)
    {
        if (window.Limit is not { } limit)
        {
            return;
        }

        response.Headers[limitName] = limit.ToString(CultureInfo.InvariantCulture);
        response.Headers[remainingName] = window.Remaining.ToString(CultureInfo.InvariantCulture);
        response.Headers[resetName] = Duration(window.ResetsIn);
    }

    public static string Duration(TimeSpan span)
    {
        if (span < TimeSpan.FromSeconds(1))
        {
            return $"{Math.Max(0, (long)Math.Ceiling(span.TotalMilliseconds))}ms";
        }

        var text = new StringBuilder();
        if (span.TotalHours >= 1)
        {
            text.Append((long)span.TotalHours).Append('h');
        }

        if (span.TotalMinutes >= 1)
        {
            text.Append(span.Minutes).Append('m');
        }

        var seconds = span.Seconds + (span.Milliseconds / 1000.0);
        text.Append(seconds.ToString("0.###", CultureInfo.InvariantCulture)).Append('s');
        return text.ToString();
    }
}
