using System.Collections.Immutable;
using Conversations.Abstractions.Upstream;
using Conversations.Core.Context;
using Conversations.Core.Errors;
using Conversations.Core.Items;
using OneOf;

namespace Conversations.Grains.Context;

/// <summary>The one way a compaction's summary is made: one single-shot upstream call, its answer made into the item.</summary>
internal static class Summaries
{
    public static async Task<OneOf<CompactionItem, ConversationError>> Make(
        IChatUpstream upstream, string model, ImmutableArray<Item> context, string id, DateTimeOffset at, CancellationToken cancellationToken)
    {
        var answered = await upstream.CompleteAsync(Compactions.Request(model, context.AsSpan()), cancellationToken);
        if (answered.TryPickT1(out var failed, out var answer))
        {
            return new ConversationError.Upstream(failed);
        }

        return Compactions.Of(answer, id, at) is CompactionItem made
            ? made
            : new ConversationError.Upstream(new Core.Upstream.UpstreamError.MalformedResponse("The model answered the compaction with an empty summary; the context was left as it was."));
    }
}
