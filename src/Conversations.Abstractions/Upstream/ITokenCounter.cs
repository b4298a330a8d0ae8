namespace Conversations.Abstractions.Upstream;

/// <summary>
/// Counts tokens the way OpenAI's tokenizers do. Used where the upstream reports no usage: the
/// offline model, and a stream cut off before its usage chunk (which still consumed tokens).
/// </summary>
public interface ITokenCounter
{
    long Count(string text);
}
