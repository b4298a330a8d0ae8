namespace Conversations.Core.Context;

/// <summary>How much of a window the input may take: the window less what is kept for the answer.</summary>
public static class ContextBudget
{
    /// <summary>
    /// The tokens the input may have in a window of <paramref name="window"/>: the request's output cap is kept
    /// for the answer when it sets one (the upstream refuses a prompt and cap that overflow together), else
    /// <paramref name="defaultReserve"/>, but at most a quarter of the window, so a small window still takes
    /// input. Null for an unknown window. May be 0 or less when the request's cap alone fills the window.
    /// </summary>
    public static long? For(long? window, int? maxOutputTokens, int defaultReserve) =>
        window is { } size ? size - (maxOutputTokens ?? Math.Min(defaultReserve, size / 4)) : null;
}
