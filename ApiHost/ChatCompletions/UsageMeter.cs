using System.Text;
using Conversations.Abstractions.Upstream;
using Conversations.Abstractions.Users;
using Conversations.Core.ChatCompletions;
using Conversations.Core.Messages;
using Conversations.Core.Upstream;
using Conversations.Core.Users;

namespace Conversations.ApiHost.ChatCompletions;

/// <summary>
/// Counts what one stateless call consumed and hands it to the caller's user grain: the upstream's own
/// usage when it reported it, else an estimate from the prompt and the text that arrived, so a stream
/// cut off before its usage chunk is still counted.
/// </summary>
public sealed class UsageMeter(ReadOnlyMemory<byte> requestBody, ITokenCounter tokens, IUserGrain user)
{
    private readonly StringBuilder _streamed = new();
    private TokenUsage? _reported;
    private bool _recorded;

    public void Step(ChatCompletionChunk chunk)
    {
        _streamed.Append(chunk.ContentDelta);
        _reported = chunk.Usage ?? _reported;
    }

    /// <summary>A whole reply arrived: its usage is the upstream's.</summary>
    public void Completed(ReadOnlySpan<byte> reply)
    {
        var parsed = ChatCompletionParser.ParseCompletion(reply);
        _reported = parsed.IsT0 ? parsed.AsT0.Usage : null;
        Record();
    }

    public void Completed(TokenUsage usage)
    {
        _reported = usage;
        Record();
    }

    /// <summary>Records the call once, however it ended.</summary>
    public void Record()
    {
        if (_recorded)
        {
            return;
        }

        _recorded = true;
        var usage = _reported ?? Estimate();
        user.RecordUsage(new UsageTotals(1, usage), stored: false);
    }

    private TokenUsage Estimate()
    {
        var prompt = Core.Json.JsonBody.Parse(requestBody.Span).Match(
            json => ChatCompletionsRequests.ToUpstreamRequest(json, new ChatCompletionsCall("", false, false))
                .Match(request => PromptTokens.Count(request.Messages, tokens.Count), _ => 0L),
            _ => 0L);
        return new TokenUsage(prompt, _streamed.Length == 0 ? 0 : tokens.Count(_streamed.ToString()));
    }
}
