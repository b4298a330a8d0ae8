using System.Globalization;

namespace Conversations.Core.Upstream;

/// <summary>How long an upstream asked to be left alone, from the headers OpenAI and the HTTP standard use.</summary>
public static class RetryAfter
{
    // RFC 9110's preferred date form and the two obsolete ones it still asks recipients to accept.
    private static readonly string[] HttpDateFormats =
    [
        "r",
        "dddd, dd-MMM-yy HH:mm:ss 'GMT'",
        "ddd MMM d HH:mm:ss yyyy",
    ];

    /// <summary>
    /// <c>retry-after-ms</c> (milliseconds) wins; else <c>retry-after</c> as seconds (whole or decimal) or an
    /// HTTP date, taken relative to <paramref name="now"/>. Unreadable values count as absent; a wait in the
    /// past is no wait.
    /// </summary>
    public static TimeSpan? Parse(string? retryAfterMs, string? retryAfter, DateTimeOffset now)
    {
        if (Number(retryAfterMs) is { } milliseconds)
        {
            return Clamp(milliseconds / 1000);
        }

        if (Number(retryAfter) is { } seconds)
        {
            return Clamp(seconds);
        }

        var text = retryAfter?.Trim();
        if (!string.IsNullOrEmpty(text)
            && DateTimeOffset.TryParseExact(
                text, HttpDateFormats, CultureInfo.InvariantCulture,
                DateTimeStyles.AllowWhiteSpaces | DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal,
                out var at))
        {
            var wait = at - now;
            return wait < TimeSpan.Zero ? TimeSpan.Zero : wait;
        }

        return null;
    }

    private static double? Number(string? text) =>
        double.TryParse(text?.Trim(), NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var value)
        && double.IsFinite(value)
            ? value
            : null;

    private static TimeSpan Clamp(double seconds)
    {
        if (seconds <= 0)
        {
            return TimeSpan.Zero;
        }

        return seconds >= TimeSpan.MaxValue.TotalSeconds ? TimeSpan.MaxValue : TimeSpan.FromSeconds(seconds);
    }
}
