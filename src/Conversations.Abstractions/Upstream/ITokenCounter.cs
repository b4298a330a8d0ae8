namespace Conversations.Abstractions.Upstream;

/// <summary>
/// Counts tokens the way OpenAI's current chat models do, for usage the upstream did not report (a stream
/// cut short, the offline model).
/// </summary>
public interface ITokenCounter
{
    long Count(string text);
}
