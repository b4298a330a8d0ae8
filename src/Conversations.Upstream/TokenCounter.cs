using Conversations.Abstractions.Upstream;
using Conversations.Core.Context;
using Microsoft.ML.Tokenizers;

namespace Conversations.Upstream;

/// <summary>
/// Counts tokens with the encodings of OpenAI's models: <c>o200k_base</c> (GPT-4o and later) and
/// <c>cl100k_base</c> (GPT-4, GPT-3.5). Each takes a few hundred milliseconds to load, so it is loaded once, on
/// first use, and shared (a tokenizer is safe to use from many threads).
/// </summary>
public sealed class TokenCounter : ITokenCounter
{
    private readonly Lazy<Tokenizer> _o200k = new(() => TiktokenTokenizer.CreateForEncoding("o200k_base"), LazyThreadSafetyMode.ExecutionAndPublication);
    private readonly Lazy<Tokenizer> _cl100k = new(() => TiktokenTokenizer.CreateForEncoding("cl100k_base"), LazyThreadSafetyMode.ExecutionAndPublication);

    public long Count(string text) => Count(text, TokenEncoding.O200kBase);

    public long Count(string text, TokenEncoding encoding) =>
        text.Length == 0 ? 0 : (encoding == TokenEncoding.Cl100kBase ? _cl100k : _o200k).Value.CountTokens(text);
}
