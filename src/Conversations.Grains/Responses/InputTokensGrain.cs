using Conversations.Abstractions.Grains;
using Conversations.Abstractions.Storage;
using Conversations.Abstractions.Upstream;
using Conversations.Core.Conversations;
using Conversations.Core.Errors;
using Conversations.Core.Responses;
using Conversations.Grains.Context;
using Conversations.Grains.Turns;
using Microsoft.Extensions.Options;
using OneOf;
using Orleans.Concurrency;

namespace Conversations.Grains.Responses;

/// <summary>
/// Counts a response outside a conversation as <see cref="ResponseGrain"/> would send it: the chain it
/// continues, read from the store, then its input, fitted into the model's window.
/// </summary>
[StatelessWorker]
public sealed class InputTokensGrain(
    IResponseStore store,
    ITokenCounter tokens,
    ModelWindows windows,
    IOptions<ConversationDefaults> defaults,
    IOptions<ResponseOptions> options,
    TimeProvider clock) : Grain, IInputTokensGrain
{
    public async Task<OneOf<long, ConversationError>> Count(string ownerId, TurnRequest request)
    {
        var context = System.Collections.Immutable.ImmutableArray<Core.Items.Item>.Empty;
        if (request.PreviousResponseId is { } previous)
        {
            var chain = await store.LoadChainAsync(previous, clock.GetUtcNow(), options.Value.MaxChainLength);
            if (ResponseChains.Context(chain, previous, ownerId).TryPickT1(out var missing, out context))
            {
                return missing;
            }
        }

        var model = string.IsNullOrEmpty(request.Model) ? defaults.Value.Model : request.Model;
        var settings = TurnSettings.Alone(request.Settings);
        var (window, budget) = await windows.Budget(model, settings.MaxOutputTokens);
        return TurnContext.OfChain(model, settings, context, request.Input, tokens, window, budget).InputTokens();
    }
}
