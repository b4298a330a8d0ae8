using System.Globalization;
using System.Text.RegularExpressions;
using Conversations.Core.Upstream;

namespace Conversations.Core.Context;

/// <summary>
/// What to do when the upstream refuses a context as too long after it was fitted (the local count was off,
/// or the window unknown): fit it once more, into a tighter budget.
/// </summary>
public static partial class ContextRetry
{
    public const string Code = "context_length_exceeded";

    /// <summary>Whether the upstream refused the request for its length, as OpenAI, Azure and vLLM say it.</summary>
    public static bool IsContextRefusal(UpstreamError error) =>
        error is UpstreamError.BadRequest { Code: Code }
        || (error is UpstreamError.BadRequest bad && MaximumContext().IsMatch(bad.Message));

    /// <summary>
    /// The budget to fit into again: a quarter less than what was sent, or less still when the upstream says
    /// what its window is and how many tokens it read (OpenAI's "maximum context length is N tokens. However,
    /// your messages resulted in M tokens") and that shows our count was off by more.
    /// </summary>
    /// <param name="budget">The budget the refused request was fitted into; null when the window was unknown.</param>
    /// <param name="counted">What the refused request counted here.</param>
    public static long TighterBudget(long? budget, long counted, UpstreamError refusal)
    {
        var from = Math.Min(budget ?? counted, counted);
        var quarterLess = from * 3 / 4;
        if (refusal is UpstreamError.BadRequest { Message: var message })
        {
            var window = MaximumContext().Match(message);
            var theirs = TheirCount().Match(message);
            if (window.Success && theirs.Success
                && long.TryParse(window.Groups[1].ValueSpan, NumberStyles.None, CultureInfo.InvariantCulture, out var limit)
                && long.TryParse(theirs.Groups[1].ValueSpan, NumberStyles.None, CultureInfo.InvariantCulture, out var read)
                && read > 0)
            {
                // Our count scaled by limit/read would have said "just fits"; a twentieth off absorbs the rest of the error.
                var scaled = counted * limit * 19 / (read * 20);
                return Math.Max(0, Math.Min(scaled, quarterLess));
            }
        }

        return Math.Max(0, quarterLess);
    }

    [GeneratedRegex(@"maximum context length is (\d+) tokens", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex MaximumContext();

    [GeneratedRegex(@"(?:resulted in|requested) (\d+) tokens", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex TheirCount();
}
