using System.Collections.Immutable;
using Conversations.Abstractions.Upstream;
using Conversations.Core.Context;
using Conversations.Core.Errors;
using Conversations.Core.Items;
using Conversations.Core.Responses;
using Conversations.Core.Upstream;
using Conversations.Grains.Conversations;
using OneOf;

namespace Conversations.Grains.Turns;

/// <summary>
/// What one turn sends: its context (a conversation's kept history, or a chain's items) and its input as
/// upstream messages, fitted into the model's window by the core's <see cref="ContextFit"/> and made into the
/// request. Messages are counted only when a window is known (or the upstream refused the request as too
/// long), and a conversation's history only where it was not counted before (see
/// <see cref="UpstreamHistoryCache.Counts"/>).
/// </summary>
internal sealed class TurnContext
{
    private readonly string _model;
    private readonly ResponseSettings _settings;
    private readonly Truncation _truncation;
    private readonly KeptHistory _kept;
    private readonly Func<ReadOnlyMemory<long>> _keptCounts;
    private readonly UpstreamHistory _rest;
    private readonly ImmutableArray<int> _restItemStarts;
    private readonly int? _newestInput;
    private readonly Func<string, long> _countTokens;
    private readonly long? _window;
    private long? _budget;
    private (ReadOnlyMemory<long> Kept, long[] Others, long Fixed)? _counted;
    private bool _retried;

    /// <param name="kept">The history kept in upstream form (empty for a chain, whose items are all in <paramref name="rest"/>).</param>
    /// <param name="keptCounts">Each kept message's tokens, counted when first asked.</param>
    /// <param name="rest">The messages after the kept ones: the rest of the context, then the input.</param>
    /// <param name="newestInput">
    /// The position in <paramref name="rest"/>'s items of the newest user input, which is never left out (see
    /// <see cref="ContextFit.NewestInput"/>); null for none, when the last user message is kept instead.
    /// </param>
    public TurnContext(
        string model, ResponseSettings settings, KeptHistory kept, Func<ReadOnlyMemory<long>> keptCounts,
        UpstreamItems rest, int? newestInput, Func<string, long> countTokens, long? window, long? budget)
    {
        (_model, _settings, _kept, _keptCounts, _countTokens, _window, _budget) = (model, settings, kept, keptCounts, countTokens, window, budget);
        _rest = new UpstreamHistory(rest.Messages, rest.Json);
        _restItemStarts = rest.ItemStarts;
        _truncation = settings.Truncation ?? Truncation.Disabled;
        _newestInput = newestInput is { } item ? kept.Prepared.Messages.Length + rest.MessageOf(item) : null;
    }

    /// <summary>
    /// A chain's context (or none) and the input, as one run of messages: a chain is read afresh for every
    /// response, so there is nothing kept to reuse.
    /// </summary>
    public static TurnContext OfChain(
        string model, ResponseSettings settings, ImmutableArray<Item> context, ImmutableArray<Item> input, ITokenCounter tokens, long? window, long? budget)
    {
        var rest = ChatRequestBuilder.ForUpstream([.. context, .. input], leadingComma: false);
        var newest = ContextFit.NewestInput(input.AsSpan()) is { } at ? context.Length + at : (int?)null;
        return new TurnContext(model, settings, KeptHistory.None, () => ReadOnlyMemory<long>.Empty, rest, newest, tokens.For(model), window, budget);
    }

    /// <summary>What was last sent: where its context started and what it counted; null until a request is made, and without a count for an unknown window.</summary>
    public FittedContext? Sent { get; private set; }

    /// <summary>
    /// Where what was last sent starts among the context's items and the input (one run, the kept history's
    /// items first): the position of the first item sent after what was left out; null when nothing was.
    /// </summary>
    public int? FirstSentItem()
    {
        if (Sent is not { LeftOutAny: true } sent)
        {
            return null;
        }

        var keptCount = _kept.Prepared.Messages.Length;
        return sent.Cut < keptCount
            ? (int)_kept.ItemStarts.Span[sent.Cut]
            : sent.Cut - keptCount < _restItemStarts.Length ? _kept.Covered + _restItemStarts[sent.Cut - keptCount] : null;
    }

    /// <summary>The request, fitted into the window; or the refusal of an input that cannot fit (with <c>disabled</c>, or even after leaving out all <c>auto</c> may).</summary>
    public OneOf<UpstreamChatRequest, ConversationError> Request()
    {
        if (_budget is null)
        {
            Sent = null;
            return Build(0);
        }

        return Fit(_budget, _truncation).Match<OneOf<UpstreamChatRequest, ConversationError>>(
            fitted => Build((Sent = fitted).Cut),
            tooLong => new ConversationError.ContextLengthExceeded(tooLong.Tokens, tooLong.Fits, _window ?? 0, _truncation == Truncation.Auto));
    }

    /// <summary>
    /// The request again, fitted into a tighter budget, after the upstream refused it as too long; null (the
    /// refusal stands) unless truncation is <c>auto</c>, this is the first retry, and what is left fits.
    /// </summary>
    public UpstreamChatRequest? Retry(UpstreamError refusal)
    {
        if (_truncation != Truncation.Auto || _retried || !ContextRetry.IsContextRefusal(refusal))
        {
            return null;
        }

        _retried = true;
        _budget = ContextRetry.TighterBudget(_budget, Sent?.Tokens ?? Total(), refusal);
        return Fit(_budget, Truncation.Auto).Match(fitted => Build((Sent = fitted).Cut), _ => (UpstreamChatRequest?)null);
    }

    /// <summary>
    /// The input tokens the request has as it would be sent: everything with <c>disabled</c> or an unknown
    /// window; with <c>auto</c>, what is left once the oldest items are left out (or the least it can have).
    /// </summary>
    public long InputTokens() =>
        _budget is null || _truncation == Truncation.Disabled
            ? Total()
            : Fit(_budget, Truncation.Auto).Match(fitted => fitted.Tokens, tooLong => tooLong.Tokens);

    private OneOf<FittedContext, ContextTooLong> Fit(long? budget, Truncation truncation)
    {
        // Most turns fit whole: that needs only the sum of counts already made, not the messages side by side.
        var total = Total();
        if (budget is null || total <= budget)
        {
            return new FittedContext(0, total);
        }

        var (messages, tokens) = Together();
        return ContextFit.Fit(messages, tokens, _newestInput ?? ContextFit.LastUserMessage(messages), Counted().Fixed, budget, truncation);
    }

    private long Total()
    {
        var (kept, rest, fixedTokens) = Counted();
        var total = fixedTokens;
        foreach (var count in kept.Span)
        {
            total += count;
        }

        foreach (var count in rest)
        {
            total += count;
        }

        return total;
    }

    /// <summary>Each message's count (the kept history's as kept, the rest's counted now, once), and the fixed part: priming, instructions, tools.</summary>
    private (ReadOnlyMemory<long> Kept, long[] Others, long Fixed) Counted()
    {
        if (_counted is { } counted)
        {
            return counted;
        }

        var rest = new long[_rest.Messages.Length];
        for (var i = 0; i < rest.Length; i++)
        {
            rest[i] = PromptTokens.Message(_rest.Messages[i], _countTokens);
        }

        var fixedTokens = PromptTokens.ReplyPriming + PromptTokens.Tools(_settings.Tools, _countTokens, TokenEncodings.For(_model));
        if (!string.IsNullOrEmpty(_settings.Instructions))
        {
            fixedTokens += PromptTokens.Message(new UpstreamMessage(UpstreamRoles.System, _settings.Instructions), _countTokens);
        }

        _counted = (_keptCounts()[.._kept.Prepared.Messages.Length], rest, fixedTokens);
        return _counted.Value;
    }

    /// <summary>All messages and their counts side by side, for fitting a context that does not fit whole.</summary>
    private (UpstreamMessage[] Messages, long[] Tokens) Together()
    {
        var (kept, rest, _) = Counted();
        var keptCount = _kept.Prepared.Messages.Length;
        var messages = new UpstreamMessage[keptCount + _rest.Messages.Length];
        var tokens = new long[messages.Length];
        _kept.Prepared.Messages.CopyTo(messages);
        _rest.Messages.CopyTo(messages, keptCount);
        kept.Span.CopyTo(tokens);
        rest.CopyTo(tokens, keptCount);
        return (messages, tokens);
    }

    /// <summary>The request with its context starting at <paramref name="cut"/>: the system and developer messages before it, then the rest.</summary>
    private UpstreamChatRequest Build(int cut)
    {
        if (cut == 0)
        {
            return ChatRequestBuilder.Build(_model, _settings, [_kept.Prepared, _rest], stream: true);
        }

        var (messages, _) = Together();
        var pinned = ImmutableArray.CreateBuilder<UpstreamMessage>();
        var pinnedJson = ImmutableArray.CreateBuilder<ReadOnlyMemory<byte>>();
        for (var i = 0; i < cut; i++)
        {
            if (ContextFit.IsPinned(messages[i]))
            {
                pinnedJson.Add(ChatRequestBuilder.Json(messages[i], leadingComma: pinned.Count > 0));
                pinned.Add(messages[i]);
            }
        }

        var before = new UpstreamHistory(pinned.DrainToImmutable(), pinnedJson.DrainToImmutable());
        var keptCount = _kept.Prepared.Messages.Length;
        return cut <= keptCount
            ? ChatRequestBuilder.Build(_model, _settings, [before, _kept.From(cut), _rest], stream: true)
            : ChatRequestBuilder.Build(_model, _settings, [before, ChatRequestBuilder.From(_rest, cut - keptCount)], stream: true);
    }
}
