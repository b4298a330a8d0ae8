using System.Collections.Immutable;
using Conversations.Core.Messages;

namespace Conversations.Core.Upstream;

/// <summary>Assembles an assistant reply from stream chunks, and stores it however the stream ended.</summary>
public static class StreamFold
{
    /// <summary>
    /// A draft before the upstream has said anything. The id, time and model are placeholders the
    /// upstream's own values replace as soon as a chunk carries them.
    /// </summary>
    public static TurnDraft Start(string completionId, long created, string model) =>
        new(completionId, created, model, ImmutableList<string>.Empty, "", null, 0);

    /// <summary>A draft holding a whole single-shot completion, so both kinds of turn are stored alike.</summary>
    public static TurnDraft FromCompletion(ChatCompletion completion) => new(
        completion.Id,
        completion.Created,
        completion.Model,
        completion.Content.Length == 0 ? ImmutableList<string>.Empty : [completion.Content],
        completion.FinishReason,
        completion.Usage,
        completion.Content.Length,
        Whole: true);

    public static TurnDraft Step(TurnDraft draft, ChatCompletionChunk chunk) => draft with
    {
        CompletionId = chunk.Id.Length > 0 ? chunk.Id : draft.CompletionId,
        Created = chunk.Created > 0 ? chunk.Created : draft.Created,
        Model = chunk.Model.Length > 0 ? chunk.Model : draft.Model,
        Parts = chunk.ContentDelta.Length > 0 ? draft.Parts.Add(chunk.ContentDelta) : draft.Parts,
        ContentLength = draft.ContentLength + chunk.ContentDelta.Length,
        FinishReason = chunk.FinishReason.Length > 0 ? chunk.FinishReason : draft.FinishReason,
        Usage = chunk.Usage ?? draft.Usage,
    };

    /// <summary>The reply's text so far.</summary>
    public static string Content(TurnDraft draft) => draft.Parts.Count switch
    {
        0 => "",
        1 => draft.Parts[0],
        _ => string.Concat(draft.Parts),
    };

    /// <summary>True once the upstream has said why it stopped (or sent the reply whole); a draft without that was cut short.</summary>
    public static bool IsFinished(TurnDraft draft) => draft.Whole || draft.FinishReason.Length > 0;

    /// <summary>
    /// What the turn used: the upstream's own count when it sent one, otherwise an estimate — the prompt as
    /// estimated before sending and the text that arrived — so a reply cut short is still accounted for.
    /// </summary>
    public static TokenUsage Usage(TurnDraft draft, Func<string, long> countTokens, long promptTokensEstimate) =>
        draft.Usage ?? new TokenUsage(promptTokensEstimate, countTokens(Content(draft)));

    /// <summary>
    /// The assistant message to store: <see cref="MessageStatus.Completed"/> if the upstream said why it
    /// stopped, <see cref="MessageStatus.Incomplete"/> otherwise, with whatever text had arrived.
    /// </summary>
    /// <param name="countTokens">Counts a text's tokens, for the estimate when the upstream sent no usage.</param>
    /// <param name="promptTokensEstimate">The prompt's estimated size (see <see cref="PromptTokens"/>).</param>
    public static Message ToMessage(
        TurnDraft draft,
        string messageId,
        long sequence,
        DateTimeOffset createdAt,
        Func<string, long> countTokens,
        long promptTokensEstimate) => new(
            Id: messageId,
            Sequence: sequence,
            Role: MessageRole.Assistant,
            Content: Content(draft),
            Status: IsFinished(draft) ? MessageStatus.Completed : MessageStatus.Incomplete,
            CreatedAt: createdAt,
            Usage: Usage(draft, countTokens, promptTokensEstimate),
            Model: draft.Model,
            FinishReason: draft.FinishReason,
            CompletionId: draft.CompletionId);
}
