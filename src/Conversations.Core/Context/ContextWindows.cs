using System.Collections.Immutable;

namespace Conversations.Core.Context;

/// <summary>
/// How many tokens a model's context window holds, prompt and answer together: what the operator configured,
/// else the documented default of the model's family, else what the upstream reports of it, else the
/// operator's fallback, else unknown. The defaults name OpenAI's models, whose API reports no window; the
/// servers that do report one (vLLM) serve other models.
/// </summary>
public static class ContextWindows
{
    /// <summary>
    /// The windows of the common model families, by name prefix (the longest prefix wins): OpenAI's published
    /// figures, and the built-in <c>offline</c> model's.
    /// </summary>
    public static readonly ImmutableArray<KeyValuePair<string, long>> Defaults =
    [
        new("gpt-5", 400_000),
        new("gpt-4.1", 1_047_576),
        new("gpt-4.5", 128_000),
        new("gpt-4o", 128_000),
        new("chatgpt-4o", 128_000),
        new("gpt-4-turbo", 128_000),
        new("gpt-4-1106", 128_000),
        new("gpt-4-0125", 128_000),
        new("gpt-4-32k", 32_768),
        new("gpt-4", 8_192),
        new("gpt-3.5-turbo", 16_385),
        new("o1", 200_000),
        new("o1-mini", 128_000),
        new("o1-preview", 128_000),
        new("o3", 200_000),
        new("o4-mini", 200_000),
        new("offline", 16_384),
    ];

    /// <summary>
    /// The window of <paramref name="model"/>, or null when nothing says: then nothing is refused or left out
    /// before the upstream is asked, and the upstream's own refusal is what tells (see <see cref="ContextRetry"/>).
    /// </summary>
    /// <param name="configured">The operator's windows by name prefix (<c>Context:Windows</c>); they win over everything.</param>
    /// <param name="reported">What the upstream says of this model (vLLM's <c>max_model_len</c>); null when it says nothing or was not asked.</param>
    /// <param name="fallback">The window of a model nothing else names (<c>Context:DefaultWindow</c>); null for unknown.</param>
    public static long? For(string model, IEnumerable<KeyValuePair<string, long>> configured, long? reported, long? fallback) =>
        ModelNames.LongestPrefix(configured, model) ?? ModelNames.LongestPrefix(Defaults, model) ?? reported ?? fallback;
}
