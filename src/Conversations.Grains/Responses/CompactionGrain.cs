using System.Collections.Immutable;
using Conversations.Abstractions.Grains;
using Conversations.Abstractions.Storage;
using Conversations.Abstractions.Upstream;
using Conversations.Abstractions.Users;
using Conversations.Core.Context;
using Conversations.Core.Errors;
using Conversations.Core.Items;
using Conversations.Core.Responses;
using Conversations.Core.Users;
using Conversations.Grains.Context;
using Microsoft.Extensions.Options;
using OneOf;
using Orleans.Concurrency;

namespace Conversations.Grains.Responses;

/// <summary>
/// Compacts a chain (read from the store, as <see cref="ResponseGrain"/> reads it) followed by input items,
/// through the upstream; the call counts toward its owner's usage like a response that is not stored.
/// </summary>
[StatelessWorker]
public sealed class CompactionGrain(
    IResponseStore store,
    IChatUpstream upstream,
    ITokenCounter tokens,
    ModelWindows windows,
    IOptions<ConversationDefaults> defaults,
    IOptions<ResponseOptions> options,
    TimeProvider clock) : Grain, ICompactionGrain
{
    public async Task<OneOf<CompactionResult, ConversationError>> Compact(string ownerId, CompactRequest request, CancellationToken cancellationToken = default)
    {
        var now = clock.GetUtcNow();
        var context = ImmutableArray<Item>.Empty;
        if (request.PreviousResponseId is { } previous)
        {
            var chain = await store.LoadChainAsync(previous, now, options.Value.MaxChainLength);
            if (ResponseChains.Context(chain, previous, ownerId).TryPickT1(out var missing, out context))
            {
                return missing;
            }
        }

        var all = context.AddRange(ItemIds.Place(request.Input, ItemIds.For(request.Input, IdGenerator.New), 0, now));
        if (!Compactions.HasNewItems(all.AsSpan()))
        {
            return all.IsEmpty
                ? new ConversationError.Invalid(new Core.Requests.ValidationError("There is nothing to compact: send 'input' items or a 'previous_response_id'.", "input", "invalid_value"))
                : new CompactionResult(all[^1].Id, [all[^1]], all[^1].CreatedAt, Core.Messages.TokenUsage.Zero);
        }

        var model = string.IsNullOrEmpty(request.Model) ? defaults.Value.Model : request.Model;
        var made = await Summaries.Make(upstream, tokens, windows, model, all, request.Id, now, cancellationToken);
        if (made.TryPickT1(out var failed, out var item))
        {
            return failed;
        }

        var usage = item.Reply?.Usage ?? Core.Messages.TokenUsage.Zero;
        await GrainFactory.GetGrain<IUserGrain>(ownerId).RecordUsage(new UsageTotals(1, usage), stored: false);
        return new CompactionResult(item.Id, [item], now, usage);
    }
}
