using Conversations.Abstractions.Upstream;
using Microsoft.ML.Tokenizers;

namespace Conversations.Upstream;

/// <summary>
/// Counts tokens with GPT-4o's o200k_base encoding. The encoding takes a few hundred milliseconds to load, so
/// it is loaded once, on first use, and shared (the tokenizer is safe to use from many threads).
/// </summary>
public sealed class TokenCounter : ITokenCounter
{
    private readonly Lazy<Tokenizer> _tokenizer = new(() => TiktokenTokenizer.CreateForModel("gpt-4o"), LazyThreadSafetyMode.ExecutionAndPublication);

    public long Count(string text) => text.Length == 0 ? 0 : _tokenizer.Value.CountTokens(text);
}
