using System.Buffers;
using Conversations.Core.Items;
using Conversations.Core.Messages;
using Conversations.Core.Responses;
using Conversations.Core.Upstream;
using OneOf;

namespace Conversations.Core.Context;

/// <summary>
/// Fits a request's messages into the input budget of its model's window. It only adds up counts it is given
/// (a conversation keeps each message's count as the message is added, so a turn counts only what is new),
/// and never changes what is stored: it only chooses what is sent.
/// <para>
/// With <see cref="Truncation.Disabled"/> a context over the budget is refused. With <see cref="Truncation.Auto"/>
/// the oldest messages are left out until the rest fits, under these rules:
/// <list type="bullet">
/// <item>system and developer messages are never left out (the instructions are in the fixed part);</item>
/// <item>the newest user input, and everything after it, is never left out;</item>
/// <item>a tool result leaves with the assistant message whose call it answers, and everything between them,
/// so a call is never sent without its result, nor a result without its call.</item>
/// </list>
/// What is left out is always a run of the oldest messages (less the kept system and developer ones), so the
/// fit is a cut: the position the sent context starts from.
/// </para>
/// </summary>
public static class ContextFit
{
    /// <param name="messages">The request's messages in order, without the instructions' system message.</param>
    /// <param name="tokens">Each message's count (<see cref="PromptTokens.Message"/>), in the same order.</param>
    /// <param name="newestInput">The first message of the newest user input: it and all after it are always sent.</param>
    /// <param name="fixedTokens">What is sent whatever is left out: the reply's priming, the instructions, the tools.</param>
    /// <param name="budget">The tokens the input may have (<see cref="ContextBudget.For"/>); null for an unknown window, which fits anything.</param>
    public static OneOf<FittedContext, ContextTooLong> Fit(
        ReadOnlySpan<UpstreamMessage> messages, ReadOnlySpan<long> tokens, int newestInput, long fixedTokens, long? budget, Truncation truncation)
    {
        var total = fixedTokens;
        foreach (var count in tokens)
        {
            total += count;
        }

        if (budget is not { } limit || total <= limit)
        {
            return new FittedContext(0, total);
        }

        if (truncation == Truncation.Disabled)
        {
            return new ContextTooLong(total, Math.Max(0, limit));
        }

        var last = Math.Min(newestInput, messages.Length);
        var spanned = ArrayPool<int>.Shared.Rent(last + 1);
        try
        {
            Spans(messages, last, spanned);
            var leftOut = 0L;
            var smallest = total;
            for (var cut = 1; cut <= last; cut++)
            {
                if (!IsPinned(messages[cut - 1]))
                {
                    leftOut += tokens[cut - 1];
                }

                if (!MayStartAt(messages, cut, spanned))
                {
                    continue;
                }

                smallest = total - leftOut;
                if (smallest <= limit)
                {
                    return new FittedContext(cut, smallest);
                }
            }

            return new ContextTooLong(smallest, Math.Max(0, limit));
        }
        finally
        {
            ArrayPool<int>.Shared.Return(spanned);
        }
    }

    /// <summary>
    /// Where a request's newest user input starts among its own input items: at its last user message, or, when
    /// it has none (it answers a tool call, say), at its first item. Null for a request without input, whose
    /// newest user input is the context's last user message.
    /// </summary>
    public static int? NewestInput(ReadOnlySpan<Item> input)
    {
        for (var i = input.Length - 1; i >= 0; i--)
        {
            if (input[i] is MessageItem { Role: MessageRole.User })
            {
                return i;
            }
        }

        return input.IsEmpty ? null : 0;
    }

    /// <summary>The last user message among <paramref name="messages"/>, or their count when there is none.</summary>
    public static int LastUserMessage(ReadOnlySpan<UpstreamMessage> messages)
    {
        for (var i = messages.Length - 1; i >= 0; i--)
        {
            if (messages[i].Role == UpstreamRoles.User)
            {
                return i;
            }
        }

        return messages.Length;
    }

    /// <summary>Whether a message is sent even when it falls before the cut.</summary>
    public static bool IsPinned(UpstreamMessage message) => message.Role is UpstreamRoles.System or UpstreamRoles.Developer;

    /// <summary>
    /// A context may start at <paramref name="cut"/> when that message is not a tool result (which belongs with
    /// the call before it) and no call before the cut has its result at or after it.
    /// </summary>
    private static bool MayStartAt(ReadOnlySpan<UpstreamMessage> messages, int cut, int[] spanned) =>
        cut == messages.Length || (messages[cut].Role != UpstreamRoles.Tool && spanned[cut] < cut);

    /// <summary>
    /// Fills <paramref name="spanned"/>[c] (for c up to <paramref name="last"/>) with the furthest tool result
    /// whose call is in a message before c: a cut at c would part that pair when the result is at or after c.
    /// </summary>
    private static void Spans(ReadOnlySpan<UpstreamMessage> messages, int last, int[] spanned)
    {
        Array.Fill(spanned, -1, 0, last + 1);
        var calls = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < messages.Length; i++)
        {
            foreach (var call in messages[i].ToolCalls.AsSpan())
            {
                calls[call.Id] = i;
            }

            if (messages[i].ToolCallId is { } answered && calls.TryGetValue(answered, out var callAt) && callAt + 1 <= last)
            {
                spanned[callAt + 1] = Math.Max(spanned[callAt + 1], i);
            }
        }

        for (var c = 1; c <= last; c++)
        {
            spanned[c] = Math.Max(spanned[c], spanned[c - 1]);
        }
    }
}
