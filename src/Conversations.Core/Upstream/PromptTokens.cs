namespace Conversations.Core.Upstream;

/// <summary>
/// Counts a request's prompt the way OpenAI bills chat models: every message costs its role and content
/// plus a fixed framing of 3 tokens, and the reply is primed with 3 more.
/// </summary>
public static class PromptTokens
{
    private const long PerMessage = 3;
    private const long ReplyPriming = 3;

    public static long Count(IEnumerable<UpstreamMessage> messages, Func<string, long> countTokens)
    {
        var total = ReplyPriming;
        foreach (var message in messages)
        {
            total += PerMessage + countTokens(message.Role) + countTokens(message.Content);
        }

        return total;
    }
}
