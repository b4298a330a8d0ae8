using Conversations.Core.Context;
using Conversations.Core.Conversations;
using Conversations.Core.Errors;
using Conversations.Core.Items;
using Conversations.Core.Messages;
using Conversations.Core.Requests;
using Conversations.Core.Responses;
using Conversations.Core.Upstream;
using Conversations.Grains.Context;
using OneOf;

namespace Conversations.Grains.Conversations;

/// <summary>
/// Compaction of a conversation: a turn whose only output is a <see cref="CompactionItem"/>. It takes the
/// conversation's turn like any turn (a second one meanwhile gets <see cref="ConversationError.Busy"/>), and it is
/// stored as one, with its usage, in one write: a failure leaves the conversation as it was. Asked again with
/// nothing new since, it answers the compaction it made without calling the model.
/// </summary>
public sealed partial class ConversationGrain
{
    public async Task<OneOf<CompactionResult, ConversationError>> Compact(string ownerId, CompactRequest request, CancellationToken cancellationToken = default)
    {
        (_answering ??= []).Add(request.Id);
        try
        {
            return await CompactNow(ownerId, request.Model, request.Id, cancellationToken);
        }
        finally
        {
            _answering!.Remove(request.Id);
        }
    }

    /// <summary>
    /// Compacts before a turn when the turn's <c>context_management</c> threshold is reached by the context as
    /// it stands; the refusal or failure when that compaction could not be made, null otherwise.
    /// </summary>
    private async Task<ConversationError?> CompactIfDue(string ownerId, TurnRequest request, CancellationToken cancellationToken)
    {
        if (request.CompactThreshold is null || _state.OwnedBy(ownerId) is not { } conversation || !Compactions.HasNewItems(_state.History.AsSpan()))
        {
            return null;
        }

        var model = TurnSettings.Model(conversation.Settings, request);
        var settings = TurnSettings.Merge(conversation.Settings, request.Settings);
        var window = await windows.Budget(model, settings.MaxOutputTokens);
        if (!Compactions.IsDue(request.CompactThreshold, Context(model, settings, [], window).InputTokens(), window.Budget))
        {
            return null;
        }

        var compacted = await CompactNow(ownerId, model, IdGenerator.New(ItemIds.CompactionPrefix), cancellationToken);
        return compacted.TryPickT1(out var failed, out _) ? failed : null;
    }

    private async Task<OneOf<CompactionResult, ConversationError>> CompactNow(string ownerId, string? model, string id, CancellationToken cancellationToken)
    {
        // With no key a turn can only begin or be refused.
        if (Decide(new ConversationCommand.BeginTurn(ownerId, null, running.Stopping)).TryPickT1(out var refused, out var decided))
        {
            if (refused is ConversationError.ShuttingDown)
            {
                SiloHandover.MoveToAnotherSilo(this, membership, localSilo);
            }

            return Refuse(refused);
        }

        var began = (ConversationEvent.TurnBegan)decided;
        Apply(began);
        running.Enter();
        try
        {
            var history = _state.History;
            if (history.IsEmpty)
            {
                return new ConversationError.Invalid(new ValidationError("The conversation has no items to compact yet.", "conversation", "invalid_value"));
            }

            if (history[^1] is CompactionItem last)
            {
                return Result(last);
            }

            var conversation = _state.Conversation!;
            var chosen = string.IsNullOrEmpty(model) ? conversation.Settings.Model : model;
            var made = await Summaries.Make(upstream, tokens, windows, chosen, history, id, began.At, cancellationToken);
            if (made.TryPickT1(out var failed, out var item))
            {
                return failed;
            }

            var started = TurnResponses.Started(
                IdGenerator.New(ResponseIds.Prefix), ownerId, Id, null, began.At, chosen, TurnSettings.Merge(conversation.Settings, ResponseSettings.Default), [], stored: false, background: false);
            var kept = await CompleteTurn(started, new TurnOutput([item], item.Reply!, default), null);
            if (kept.TryPickT1(out var notKept, out var response))
            {
                return notKept;
            }

            return Result((CompactionItem)response.Output[0]);
        }
        finally
        {
            EndTurn();
        }
    }

    private static CompactionResult Result(CompactionItem item) => new(item.Id, [item], item.CreatedAt, item.Reply?.Usage ?? TokenUsage.Zero);
}
