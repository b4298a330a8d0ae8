using System.Collections.Immutable;
using Conversations.Abstractions.Upstream;
using Conversations.Core.Context;
using Conversations.Core.Errors;
using Conversations.Core.Items;
using OneOf;

namespace Conversations.Grains.Context;

/// <summary>
/// The one way a compaction's summary is made: the context (fitted into the model's window by leaving its oldest
/// items out, so a context too long to send can still be compacted: the newest part and any earlier summary
/// are kept), one single-shot upstream call, and its answer made into the item.
/// </summary>
internal static class Summaries
{
    public static async Task<OneOf<CompactionItem, ConversationError>> Make(
        IChatUpstream upstream, ITokenCounter tokens, ModelWindows windows, string model, ImmutableArray<Item> context, string id, DateTimeOffset at, CancellationToken cancellationToken)
    {
        var (window, budget) = await windows.Budget(model, null);
        var fitted = Turns.TurnContext.OfChain(model, Compactions.Settings, context, [Compactions.Ask], tokens, window, budget).Request();
        if (fitted.TryPickT1(out var tooLong, out var request))
        {
            return tooLong;
        }

        var answered = await upstream.CompleteAsync(request with { Stream = false }, cancellationToken);
        if (answered.TryPickT1(out var failed, out var answer))
        {
            return new ConversationError.Upstream(failed);
        }

        return Compactions.Of(answer, id, at) is CompactionItem made
            ? made
            : new ConversationError.Upstream(new Core.Upstream.UpstreamError.MalformedResponse("The model answered the compaction with an empty summary; the context was left as it was."));
    }
}
