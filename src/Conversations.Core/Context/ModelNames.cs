namespace Conversations.Core.Context;

/// <summary>How model names are read when looking up what is known about a model.</summary>
public static class ModelNames
{
    /// <summary>The name after its last <c>/</c>: routers and hubs name models <c>openai/gpt-4o</c> or <c>meta-llama/Llama-3.1-8B</c>.</summary>
    public static string WithoutProvider(string model) =>
        model.LastIndexOf('/') is >= 0 and var slash ? model[(slash + 1)..] : model;

    /// <summary>
    /// The value of the longest key that <paramref name="model"/> starts with (ignoring case), trying the whole
    /// name first and then the name without its provider; null when no key matches.
    /// </summary>
    public static T? LongestPrefix<T>(IEnumerable<KeyValuePair<string, T>> table, string model) where T : struct
    {
        return Match(model) ?? (WithoutProvider(model) is var bare && bare.Length != model.Length ? Match(bare) : null);

        T? Match(string name)
        {
            var best = -1;
            T? found = null;
            foreach (var (prefix, value) in table)
            {
                if (prefix.Length > best && name.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
                {
                    (best, found) = (prefix.Length, value);
                }
            }

            return found;
        }
    }
}
