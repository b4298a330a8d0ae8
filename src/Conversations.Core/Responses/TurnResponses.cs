using System.Collections.Immutable;
using Conversations.Core.Items;
using Conversations.Core.Messages;

namespace Conversations.Core.Responses;

/// <summary>How a turn's response comes to be and how it ends, whichever route asked for it.</summary>
public static class TurnResponses
{
    /// <summary>A response the upstream has begun on: in progress, no output, no usage yet.</summary>
    public static ResponseRecord Started(
        string id,
        string ownerId,
        string? conversationId,
        string? previousResponseId,
        DateTimeOffset createdAt,
        string model,
        ResponseSettings settings,
        ImmutableArray<Item> input,
        bool stored,
        bool background) =>
        new(id, ownerId, conversationId, previousResponseId, createdAt, null, ResponseStatus.InProgress, model, settings, input, [], null, null, null, stored, background);

    /// <summary>
    /// The response once the upstream stopped, with whatever output arrived. Why it stopped decides how it
    /// ended: a finish reason of <c>length</c> or <c>content_filter</c> leaves it incomplete for that reason;
    /// no finish reason at all (the stream was cut: the client left, the upstream broke off) leaves it
    /// incomplete with no reason; any other finish reason completes it.
    /// </summary>
    public static ResponseRecord Finished(ResponseRecord started, ImmutableArray<Item> output, ReplyInfo reply, DateTimeOffset at, ImmutableArray<int> shape = default)
    {
        var outcome = reply.FinishReason.Length == 0
            ? new Upstream.TurnOutcome(ResponseStatus.Incomplete, null)
            : Upstream.OutputFold.Outcome(reply.FinishReason);
        return started with
        {
            Status = outcome.Status,
            CompletedAt = outcome.Status == ResponseStatus.Completed ? at : null,
            Model = reply.Model.Length > 0 ? reply.Model : started.Model,
            Output = output,
            Usage = reply.Usage,
            IncompleteReason = outcome.IncompleteReason,
            StreamShape = shape.IsDefault ? [] : shape,
        };
    }

    /// <summary>The response of a turn that failed part way: what arrived is kept, and the failure says why.</summary>
    public static ResponseRecord Failed(ResponseRecord started, ImmutableArray<Item> output, ReplyInfo? reply, ResponseFailure failure, ImmutableArray<int> shape = default) =>
        started with
        {
            StreamShape = shape.IsDefault ? [] : shape,
            Status = ResponseStatus.Failed,
            Output = output,
            Usage = reply?.Usage ?? started.Usage,
            Model = reply is { Model.Length: > 0 } ? reply.Model : started.Model,
            Error = failure,
        };

    /// <summary>A background response stopped by its owner: what arrived is kept, and it says it was cancelled rather than cut short.</summary>
    public static ResponseRecord Cancelled(ResponseRecord kept) =>
        kept with { Status = ResponseStatus.Cancelled, CompletedAt = null, IncompleteReason = null };

    /// <summary>
    /// A background response whose run was lost with the server running it: found still in progress with no run
    /// behind it, it ends failed with what was stored of it.
    /// </summary>
    public static ResponseRecord Lost(ResponseRecord stored) =>
        Failed(stored, stored.Output, null, new ResponseFailure("server_error",
            "The server running this response in the background stopped before it finished. What was stored is kept; create the response again."));

    /// <summary>True while a response is still to end: queued or in progress.</summary>
    public static bool IsRunning(ResponseRecord response) => response.Status is ResponseStatus.Queued or ResponseStatus.InProgress;

    /// <summary>True when the upstream said why it stopped: a reply without that was cut short.</summary>
    public static bool IsWhole(ResponseRecord response) => Reply(response) is { FinishReason.Length: > 0 };

    /// <summary>What the upstream reported for the turn: kept on its last item.</summary>
    public static ReplyInfo? Reply(ResponseRecord response) =>
        response.Output.IsEmpty ? null : response.Output[^1].Reply;

    /// <summary>
    /// The response of a turn rebuilt from a conversation's history, for a repeat of a turn whose response
    /// was not stored: its output is the run of model items ending at <paramref name="lastOutput"/>, its
    /// input the item before them; its id the one it was answered with (empty for a message of the
    /// conversation route). Its settings are not known any more; the default ones stand in.
    /// </summary>
    public static ResponseRecord FromHistory(string responseId, Conversations.Conversation conversation, ImmutableArray<Item> history, int lastOutput)
    {
        var first = lastOutput;
        while (first > 0 && IsModelOutput(history[first - 1]))
        {
            first--;
        }

        var output = history[first..(lastOutput + 1)];
        var input = first > 0 ? [history[first - 1]] : ImmutableArray<Item>.Empty;
        var reply = output[^1].Reply ?? new ReplyInfo(TokenUsage.Zero, conversation.Settings.Model, "", "");
        var started = Started(responseId, conversation.OwnerId, conversation.Id, null, output[0].CreatedAt, reply.Model, ResponseSettings.Default, input, stored: false, background: false);
        return Finished(started, output, reply, output[^1].CreatedAt);
    }

    private static bool IsModelOutput(Item item) =>
        item is FunctionCallItem || item is MessageItem { Role: MessageRole.Assistant } && item.Reply is null;
}
