using Conversations.Core.Context;

namespace Conversations.Abstractions.Upstream;

/// <summary>
/// Counts tokens the way OpenAI's chat models do: to fit a context into a model's window, to answer
/// <c>POST /v1/responses/input_tokens</c>, and for usage the upstream did not report (a stream cut short, the
/// offline model).
/// </summary>
public interface ITokenCounter
{
    /// <summary>Tokens of <paramref name="text"/> in <c>o200k_base</c>, the encoding of current models.</summary>
    long Count(string text);

    /// <summary>Tokens of <paramref name="text"/> in <paramref name="encoding"/>; a counter that knows one encoding counts every text with it.</summary>
    long Count(string text, TokenEncoding encoding) => Count(text);

    /// <summary>A counter for <paramref name="model"/>'s family (see <see cref="TokenEncodings.For"/>).</summary>
    Func<string, long> For(string model)
    {
        var encoding = TokenEncodings.For(model);
        return text => Count(text, encoding);
    }
}
