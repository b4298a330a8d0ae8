using Conversations.Abstractions.Upstream;
using Conversations.Abstractions.Users;
using Conversations.ApiHost.Metrics;
using Conversations.Core.ChatCompletions;
using Conversations.Core.Json;
using Conversations.Core.Upstream;
using Conversations.Core.Users;

namespace Conversations.ApiHost.ChatCompletions;

/// <summary>
/// Counts what one stateless call consumed and hands it to the caller's user grain, once however the
/// call ended. The reply is folded by <see cref="OutputFold"/>, as a conversation's is, so the count is
/// the same: the upstream's own usage when it reported it, else an estimate from the prompt and what
/// arrived (text, refusals, tool calls' names and arguments), so a stream cut off before its usage chunk
/// is still counted.
/// </summary>
/// <param name="turn">The call's metrics, told of its first output and, with its usage, its end; null when none are kept.</param>
public sealed class UsageMeter(ReadOnlyMemory<byte> requestBody, ITokenCounter tokens, IUserGrain user, TurnMeter? turn = null)
{
    private OutputDraft _draft = Start();
    private bool _recorded;

    public void Step(ChatCompletionChunk chunk)
    {
        _draft = OutputFold.Step(_draft, chunk, NoId).Draft;
        if (turn is not null && (chunk.ContentDelta.Length > 0 || chunk.RefusalDelta.Length > 0 || chunk.ToolCalls.Length > 0))
        {
            turn.FirstToken(_draft.Model);
        }
    }

    /// <summary>A whole reply arrived as the upstream's bytes: its usage is the upstream's (none if it cannot be read).</summary>
    public void Completed(ReadOnlySpan<byte> reply)
    {
        if (ChatCompletionParser.ParseCompletion(reply).TryPickT0(out var completion, out _))
        {
            Completed(completion);
            return;
        }

        Record();
    }

    /// <summary>
    /// A whole reply: its own usage is the count, so it is not folded (a single-shot call is the hot path, and
    /// the fold would only hand the same usage back).
    /// </summary>
    public void Completed(ChatCompletion reply)
    {
        if (_recorded)
        {
            return;
        }

        _recorded = true;
        user.RecordUsage(new UsageTotals(1, reply.Usage), stored: false);
        turn?.Ended(reply.Model, OutputFold.Outcome(reply.FinishReason).Status, reply.Usage);
    }

    /// <summary>Records the call once, however it ended.</summary>
    public void Record()
    {
        if (_recorded)
        {
            return;
        }

        _recorded = true;
        // The prompt is estimated only when the upstream did not count it: that means parsing the request again.
        var usage = OutputFold.Usage(_draft, tokens.Count, _draft.Usage is null ? PromptEstimate() : 0);
        user.RecordUsage(new UsageTotals(1, usage), stored: false);
        // A reply that stopped before the upstream said why was cut short, as a conversation keeps one.
        turn?.Ended(_draft.Model, OutputFold.IsFinished(_draft) ? OutputFold.Outcome(_draft.FinishReason).Status : Core.Responses.ResponseStatus.Incomplete, usage);
    }

    // Only the usage is read: the items the fold makes are never seen, so neither their ids nor their times matter.
    private static OutputDraft Start() => OutputFold.Start("", DateTimeOffset.UnixEpoch, "", 0);

    private static string NoId(string prefix) => prefix;

    private long PromptEstimate() => JsonBody.Parse(requestBody.Span).Match(
        json => ChatCompletionsRequests.ToUpstreamRequest(json, new ChatCompletionsCall("", false, false))
            .Match(request => PromptTokens.Count(request.Messages, tokens.Count), _ => 0L),
        _ => 0L);
}
