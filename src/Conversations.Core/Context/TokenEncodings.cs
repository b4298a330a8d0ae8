namespace Conversations.Core.Context;

/// <summary>Which encoding counts a model's tokens.</summary>
public static class TokenEncodings
{
    // The longest prefix wins (see ModelNames.LongestPrefix), so "gpt-4o" is not read as "gpt-4".
    private static readonly KeyValuePair<string, TokenEncoding>[] Families =
    [
        new("gpt-4o", TokenEncoding.O200kBase),
        new("chatgpt-4o", TokenEncoding.O200kBase),
        new("gpt-4.1", TokenEncoding.O200kBase),
        new("gpt-4.5", TokenEncoding.O200kBase),
        new("gpt-5", TokenEncoding.O200kBase),
        new("o1", TokenEncoding.O200kBase),
        new("o3", TokenEncoding.O200kBase),
        new("o4", TokenEncoding.O200kBase),
        new("gpt-4", TokenEncoding.Cl100kBase),
        new("gpt-3.5", TokenEncoding.Cl100kBase),
        new("gpt-35", TokenEncoding.Cl100kBase),
    ];

    /// <summary>
    /// The encoding of <paramref name="model"/>'s family, read from its name (or from the part after its last
    /// <c>/</c>, for names like <c>openai/gpt-4o</c>). Any other model, the offline one and open models (Llama,
    /// Qwen, Mistral) included, is counted with <c>o200k_base</c>: their own tokenizers are not at hand, and
    /// that encoding is the closest general-purpose one.
    /// </summary>
    public static TokenEncoding For(string model) =>
        ModelNames.LongestPrefix(Families, model) ?? TokenEncoding.O200kBase;
}
