using Conversations.Core.Items;
using Conversations.Core.Messages;
using Conversations.Core.Responses;
using Conversations.Core.Upstream;

namespace Conversations.Core.Context;

/// <summary>
/// Compaction: the model summarises a context into one <see cref="CompactionItem"/>, and from then on the
/// context sent upstream starts at that item (see <see cref="ChatRequestBuilder.ForUpstream"/>). The items it
/// covers stay stored and listed. A compaction covers everything before it, earlier compactions included,
/// so summaries build on each other.
/// </summary>
public static class Compactions
{
    /// <summary>The smallest <c>compact_threshold</c> OpenAI accepts, and so do we.</summary>
    public const long MinThreshold = 1000;

    /// <summary>
    /// The threshold of a <c>context_management</c> entry without <c>compact_threshold</c>: compact once the context
    /// takes <see cref="NearTheWindowShare"/> of what the model's window leaves for it (never, when the window is unknown).
    /// </summary>
    public const long NearTheWindow = 0;

    /// <summary>The share of the context budget at which <see cref="NearTheWindow"/> compacts.</summary>
    public const double NearTheWindowShare = 0.8;

    /// <summary>What the model is told it is doing, as the summary request's instructions.</summary>
    public const string SystemPrompt =
        "You compact conversations. Write a summary of the conversation above that lets it continue as if it were all still there: "
        + "the user's goals and preferences, facts and decisions established, names, numbers and code that matter, questions still open, "
        + "and any tool calls with their results. Write plain text, in the conversation's language, without preamble.";

    /// <summary>The last message of the summary request; the offline model recognises it (see <see cref="Offline.OfflineModel"/>).</summary>
    public const string Instruction = "Summarise the conversation so far, as instructed.";

    /// <summary>How a compaction's summary leads when it stands in for the items it covers.</summary>
    public const string ContextLead = "Summary of the conversation before this point:";

    /// <summary>The position of the last compaction among <paramref name="items"/>; null for none.</summary>
    public static int? LastIn(ReadOnlySpan<Item> items)
    {
        for (var i = items.Length - 1; i >= 0; i--)
        {
            if (items[i] is CompactionItem)
            {
                return i;
            }
        }

        return null;
    }

    /// <summary>Whether a compaction would cover anything new: some item comes after the last compaction (or there is none and there are items).</summary>
    public static bool HasNewItems(ReadOnlySpan<Item> items) => items.Length > 0 && items[^1] is not CompactionItem;

    /// <summary>The system message a compaction becomes upstream.</summary>
    public static string AsContext(CompactionItem compaction) => $"{ContextLead}\n\n{compaction.Summary}";

    /// <summary>The summary request's settings: <see cref="SystemPrompt"/> as its instructions, and the oldest items left out when the context does not fit.</summary>
    public static readonly ResponseSettings Settings = ResponseSettings.Default with { Instructions = SystemPrompt, Truncation = Truncation.Auto };

    /// <summary>The summary request's last message, <see cref="Instruction"/>: the newest input, never left out.</summary>
    public static readonly MessageItem Ask = new("", 0, ItemStatus.Completed, default, null, MessageRole.User, [new ContentPart.InputText(Instruction)]);

    /// <summary>
    /// The single-shot request that asks <paramref name="model"/> to summarise <paramref name="context"/>
    /// (from its last compaction on, as any request is made): the context, then <see cref="Ask"/>, whole. A
    /// grain fits the same messages into the model's window first.
    /// </summary>
    public static UpstreamChatRequest Request(string model, ReadOnlySpan<Item> context) =>
        ChatRequestBuilder.Build(model, Settings, context, [Ask], stream: false);

    /// <summary>
    /// Whether a request's <c>context_management</c> threshold asks for a compaction before a context of
    /// <paramref name="tokens"/> is sent, with <paramref name="budget"/> tokens left for it by the model's window (null: unknown).
    /// </summary>
    public static bool IsDue(long? threshold, long tokens, long? budget) => threshold switch
    {
        null => false,
        NearTheWindow => budget is { } room && tokens >= (long)(room * NearTheWindowShare),
        var at => tokens >= at,
    };

    /// <summary>
    /// The compaction the model's answer makes, with id <paramref name="id"/>; an empty answer is a failure of
    /// the upstream, since nothing could stand in for the context.
    /// </summary>
    public static CompactionItem? Of(ChatCompletion answer, string id, DateTimeOffset at) =>
        string.IsNullOrWhiteSpace(answer.Content)
            ? null
            : new CompactionItem(id, 0, ItemStatus.Completed, at, new ReplyInfo(answer.Usage, answer.Model, answer.FinishReason, answer.Id), answer.Content.Trim());
}
