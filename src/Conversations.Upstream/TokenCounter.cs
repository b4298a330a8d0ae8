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
    /// <summary>The longest run without whitespace that is counted whole.</summary>
    public const int LongestRun = 1_000;

    private readonly Lazy<Tokenizer> _o200k = new(() => TiktokenTokenizer.CreateForEncoding("o200k_base"), LazyThreadSafetyMode.ExecutionAndPublication);
    private readonly Lazy<Tokenizer> _cl100k = new(() => TiktokenTokenizer.CreateForEncoding("cl100k_base"), LazyThreadSafetyMode.ExecutionAndPublication);

    public long Count(string text) => Count(text, TokenEncoding.O200kBase);

    /// <summary>
    /// Byte-pair encoding works word by word, in time that grows with the square of a word's length: one
    /// 200,000-character run of letters took 20 s of CPU, so a body of such text could stall the host (found
    /// by the fuzz suite). A text with a run longer than <see cref="LongestRun"/> is therefore counted in
    /// pieces of at most that length, cut before whitespace where there is some; each cut can miscount by a
    /// token, under 0.1% of such a text. Text without such runs, that is nearly all text, is counted whole.
    /// </summary>
    public long Count(string text, TokenEncoding encoding)
    {
        if (text.Length == 0)
        {
            return 0;
        }

        var tokenizer = (encoding == TokenEncoding.Cl100kBase ? _cl100k : _o200k).Value;
        if (!HasLongRun(text))
        {
            return tokenizer.CountTokens(text);
        }

        long tokens = 0;
        for (var start = 0; start < text.Length;)
        {
            var length = Math.Min(LongestRun, text.Length - start);
            if (start + length < text.Length && text.AsSpan(start, length).LastIndexOfAny(" \t\r\n") is > 0 and var space)
            {
                length = space;
            }

            tokens += tokenizer.CountTokens(text.AsSpan(start, length));
            start += length;
        }

        return tokens;
    }

    private static bool HasLongRun(string text)
    {
        var run = 0;
        foreach (var c in text)
        {
            run = char.IsWhiteSpace(c) ? 0 : run + 1;
            if (run > LongestRun)
            {
                return true;
            }
        }

        return false;
    }
}
